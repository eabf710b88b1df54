"""The pages' messages (page titles, headings, table headers, sentences) and their catalogs in
``render/pages/locale``. Templates use the same domain through Jinja2's i18n extension
(``{% trans %}`` and ``_()``, see :mod:`render.pages.templating`)."""

from pathlib import Path

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext", "N_"]

DOMAIN = Domain("pages", Path(__file__).parent / "locale")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext


def N_(message: str) -> str:
    """Mark a msgid in a table built at import time; it is translated with ``_`` where it is shown."""
    return message
