"""The model layer's generated words (migration aspects, facts, defaults) and their catalogs in
``model/locale``; also used by the CLI verbs in ``archdoc/`` for their human-readable output."""

from pathlib import Path

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext"]

DOMAIN = Domain("model", Path(__file__).parent / "locale", sources=(Path(__file__).parent,
                                                                     Path(__file__).parent.parent / "archdoc"))
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
