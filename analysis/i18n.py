"""The analysis layer's messages (findings, blockers, reach hops) and their catalogs in ``analysis/locale``.

Mark a message with ``_`` at the point it is produced, never at import time (the language is set
after the model is loaded); format it with named fields so a translation can reorder them::

    _("{sg} は {port} を許可していない").format(sg=sg.id, port=port)
"""

from pathlib import Path

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext"]

DOMAIN = Domain("analysis", Path(__file__).parent / "locale")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
