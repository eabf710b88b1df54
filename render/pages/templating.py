"""The Jinja2 environment every page template renders in.

Markdown has no autoescape mode, so safety is enforced here instead of in each template:

* ``finalize`` escapes every ``{{ expression }}`` whose value is not already
  :class:`~render.pages.markdown.Md` — a template that forgets ``|md_cell`` still shows the
  value literally instead of letting it become markup;
* ``StrictUndefined`` turns a typo in a template into an error, not an empty cell;
* ``keep_trailing_newline`` and a fixed loader make output byte-identical run to run.

Generated words are messages of the ``pages`` domain: ``{{ _("見出し") }}`` and, with named
placeholders, ``{{ _("エラー {n} 件", n=count) }}`` — the message is translated (it is ours, so
trusted Markdown) and each value is escaped before it is put in. ``{% trans %}`` blocks are not
used: their ``%(name)s`` placeholders would differ from the ``{name}`` ones the Python code uses.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from render.cache import template_cache
from render.pages.i18n import DOMAIN, N_, _
from render.pages.markdown import FILTERS, Md, md_cell, md_image, md_inline, md_link, md_nobreak, md_text

__all__ = ["environment", "render_template", "asset_text", "TEMPLATES", "ASSETS", "SCRIPT_TEXT"]

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
"""The site's own stylesheet and script, copied into every docs folder as ``assets/``."""


SCRIPT_TEXT = {
    "diagram": N_("構成図"), "zoomed": N_("（拡大表示）"), "plus": N_("＋"), "zoomIn": N_("拡大"), "minus": N_("－"),
    "zoomOut": N_("縮小"), "fit": N_("全体"), "fitLabel": N_("全体を表示"), "close": N_("閉じる（Esc）"),
    "named": N_("{name}："), "scrollTable": N_("横にスクロールできる表"), "scrollHint": N_("⇆ この表は横にスクロールできます"),
}
"""The words ``assets/zoom.js`` shows (button labels, accessible names, the scroll hint), as msgids.
The script carries them in its ``var TEXT = {...};`` line, which :func:`asset_text` rewrites."""

_SCRIPT_LINE = re.compile(r"^  var TEXT = \{.*\};$", re.M)


def asset_text(name: str) -> str:
    """The asset ``name`` as the docs folder gets it: the script's words in the current language."""
    text = (ASSETS / name).read_text(encoding="utf-8")
    if name != "zoom.js":
        return text
    words = json.dumps({key: _(message) for key, message in SCRIPT_TEXT.items()}, ensure_ascii=False)
    text, count = _SCRIPT_LINE.subn(lambda _m: f"  var TEXT = {words};", text)
    assert count == 1, "zoom.js must hold exactly one 'var TEXT = {...};' line"
    return text


def _finalize(value: object) -> Md:
    """Escape anything a template prints unless it is already safe Markdown."""
    return value if isinstance(value, Md) else md_text(value)


def _join(values, sep: str = ", ", filter_name: str = "md_text") -> Md:
    """Escape each item, then join with a template-authored separator."""
    escape = md_cell if filter_name == "md_cell" else md_text
    return Md(sep.join(escape(v) for v in values))


SHORT_CELL = 12
"""A Japanese cell of at most this many characters (a severity, a verdict, a name) never wraps: a
browser may break Japanese between any two characters (エ/ラ/ー in a squeezed column)."""


def _cell(value) -> Md:
    text = md_cell(value)
    plain = str(value if value is not None else "").strip()
    if len(plain) <= SHORT_CELL and any(ord(c) > 0x3000 for c in plain) and "\n" not in plain \
            and "](" not in text:
        return Md(f'<span class="nb">{text}</span>')
    return md_nobreak(text)


def _row(cells) -> Md:
    """One Markdown table row, every cell escaped (so ``|`` and newlines cannot break it); a
    short Japanese cell stays on one line, and so do the ids, CIDRs and codes of any cell
    (:func:`~render.pages.markdown.md_nobreak`)."""
    return Md("| " + " | ".join(_cell(c) for c in cells) + " |")


def _header(cells) -> Md:
    """Header row (plain: a title may wrap) plus the delimiter row."""
    cells = list(cells)
    return Md("| " + " | ".join(md_cell(c) for c in cells) + " |\n|" + "|".join("---" for _ in cells) + "|")


def _table(head, rows) -> Md:
    """A whole table: header, delimiter, one escaped row per item."""
    return Md("\n".join([_header(head), *(_row(r) for r in rows)]))


def _diagram(view) -> Md:
    """A view's SVG (click to zoom, see ``assets/zoom.js``) and links to its PNG, SVG and DOT."""
    base = f"diagrams/{view.id}"
    image = md_image(view.title, f"{base}.svg", ".archdoc-diagram")
    links = _(" ・ ").join(md_link(k, f"{base}.{k.lower()}") for k in ("PNG", "SVG", "DOT"))
    return Md(f"{image}\n\n{links}")


def _bullets(items, depth: int = 0) -> Md:
    """Nested bullets from ``(label, value, children)``; labels are bold at the top level.

    Children are indented four spaces: Python-Markdown does not nest lists indented by two.
    """
    lines = []
    pad = "    " * depth
    for label, value, children in items:
        if label is None:
            text = md_text(value)
        else:
            name = f"**{md_text(label)}**" if depth == 0 else md_text(label)
            text = f"{name}:" + (f" {md_text(value)}" if value is not None else "")
        lines.append(f"{pad}- {text}")
        if children:
            lines.append(_bullets(children, depth + 1))
    return Md("\n".join(lines))


def _gettext(message: str, **values: object) -> Md:
    """A template's message in the current language, ``{name}`` placeholders filled with escaped values."""
    text = DOMAIN.gettext(message)
    return Md(text.format(**{k: md_inline(v) for k, v in values.items()}) if values else text)


def _ngettext(singular: str, plural: str, n: int, **values: object) -> Md:
    """Plural-aware :func:`_gettext`; ``n`` is also available as ``{n}``."""
    text = DOMAIN.ngettext(singular, plural, n)
    return Md(text.format(**{k: md_inline(v) for k, v in {"n": n, **values}.items()}))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment (templates are immutable, so one instance is reused)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES), encoding="utf-8"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=template_cache(),  # compiling them is 70 ms of every command that writes pages
    )
    # Translations are read at each call (the language is set after the model is loaded), so the
    # cached environment serves every language. The catalog's text is ours (trusted Markdown).
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=False)
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
    env.filters.update(FILTERS)
    env.filters["md_join"] = _join
    env.globals.update(row=_row, header=_header, table=_table, diagram=_diagram, bullets=_bullets,
                       link=md_link, image=md_image)
    return env


def render_template(name: str, **context: object) -> str:
    """Render ``templates/<name>``; the result always ends with exactly one newline."""
    text = environment().get_template(name).render(**context)
    return text.rstrip("\n") + "\n"
