"""The messages of the diagrams, the print (PDF) and the CloudFormation export, with their catalogs
in ``render/locale`` (the pages have their own domain, :mod:`render.pages.i18n`)."""

from pathlib import Path

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext"]

DOMAIN = Domain("render", Path(__file__).parent / "locale")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
