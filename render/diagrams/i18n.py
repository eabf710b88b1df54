"""The diagrams' words (legend, generated box and marker labels) and their catalogs in
``render/diagrams/locale``. Labels written in the model (node, box and view titles) are the
model's own words and are drawn as written."""

from pathlib import Path

from model.i18n import Domain

__all__ = ["DOMAIN", "_", "ngettext"]

DOMAIN = Domain("diagrams", Path(__file__).parent / "locale")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
