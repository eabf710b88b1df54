"""The CLI verbs' human-readable output (reach, findings, diff, drift, approved) and its catalogs
in ``archdoc/locale``. Error messages about the model stay English, like the codes."""

from pathlib import Path

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext"]

DOMAIN = Domain("cli", Path(__file__).parent / "locale")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
