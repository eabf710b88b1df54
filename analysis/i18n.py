"""The analysis layer's messages (findings, blockers, reach hops) and their catalogs in ``analysis/locale``.

Mark a message with ``_`` at the point it is produced, never at import time (the language is set
after the model is loaded); format it with named fields so a translation can reorder them::

    _("{sg} は {port} を許可していない").format(sg=sg.id, port=port)

A module's table of messages keeps the Japanese msgids marked with ``N_`` (extracted, not
translated) and translates when a message is filled in: :class:`Templates`.

>>> T = Templates({"hello": N_("{who} さん")})
>>> T("hello", who="x")
'x さん'
"""

from pathlib import Path
from typing import Any

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext", "N_", "Templates"]

DOMAIN = Domain("analysis", Path(__file__).parent / "locale")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it (a table built at import time)."""
    return message


class Templates(dict):
    """Message templates of one module: ``T(key, **values)`` translates one and fills it in."""

    def __call__(self, key: str, **values: Any) -> str:
        return _(self[key]).format(**values)

    def text(self, key: str) -> str:
        """The template of ``key`` translated, unfilled."""
        return _(self[key])
