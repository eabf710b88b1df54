"""The model layer's generated words (migration aspects, facts, defaults) and their catalogs in
``model/locale``."""

from pathlib import Path

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext"]

DOMAIN = Domain("model", Path(__file__).parent / "locale")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
