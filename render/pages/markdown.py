"""Escaping model values into Markdown, in one place.

Every label and value that reaches a page comes from the model (YAML typed by people).
A ``|`` would split a table row, ``<script>`` would become HTML, ``*`` or ``_`` would
turn into emphasis, ``[x](y)`` into a link, ``{: .c}`` into attributes. Pages must show
such text *literally* and keep every table intact, so all values go through
:func:`md_text` (inline text) or :func:`md_cell` (a table cell). Both return :class:`Md`,
a ``str`` marking text that is already safe Markdown; the Jinja environment's
``finalize`` escapes anything that is *not* ``Md`` (see :mod:`render.pages.templating`), so
a template that forgets a filter is still safe.

>>> md_text("a*b_c <script>")
'a\\\\*b\\\\_c &lt;script&gt;'
>>> md_cell("x | y\\nz")
'x \\\\| y<br>z'
>>> md_strong_lead("**Multi-AZ構成**: RDS <x>")
'**Multi-AZ構成**: RDS &lt;x&gt;'
"""

from __future__ import annotations

import re

from render.escape import plain_text

__all__ = ["Md", "md_text", "md_inline", "md_cell", "md_strong_lead", "md_raw", "md_link", "md_image", "FILTERS"]


class Md(str):
    """Text that is already valid, safe Markdown (escaped, or written by a template author)."""

    __slots__ = ()


# Characters Python-Markdown treats as markup anywhere in a line. ``|`` splits table
# cells, ``{``/``}`` feed attr_list, ``[``/``]`` links, ``\``/`*`/``_``/backtick the
# inline patterns, ``#`` closes headings. Each is backslash-escaped (all of them are in
# Python-Markdown's ESCAPED_CHARS, ``|`` via the tables extension).
_BACKSLASHED = set("\\`*_{}[]#|")
# An entity-like sequence would be decoded by the browser: keep its ``&`` literal.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# At the start of the value these begin a block (list, heading underline, ordered list).
_LEADING = re.compile(r"^(\s*)(?:([-+*])(?=\s|$|[-+*])|([=~])|(\d+)([.)])(?=\s|$))")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def _lead(m: re.Match[str]) -> str:
    space, sign, line, digits, dot = m.groups()
    if sign:
        return f"{space}\\{sign}"
    if line:
        return f"{space}&#{ord(line)};"
    return f"{space}{digits}\\{dot}"


def _escape(value: object) -> str:
    """Escape one value; newlines become ``<br>`` so the value stays on one Markdown line."""
    text = _ENTITY.sub("&amp;", plain_text(value))
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = "".join("\\" + ch if ch in _BACKSLASHED else ch for ch in text)
    return "<br>".join(_NEWLINES.split(text))


def md_text(value: object) -> Md:
    """Inline text shown literally: Markdown specials and HTML escaped, newlines as ``<br>``."""
    if isinstance(value, Md):
        return value
    return Md(_LEADING.sub(_lead, _escape(value), count=1))


def md_inline(value: object) -> Md:
    """Text placed after other text on its line (a heading's title, a link label)."""
    return value if isinstance(value, Md) else Md(_escape(value))


def md_cell(value: object) -> Md:
    """A table cell: like :func:`md_text`, trimmed; an empty value stays an empty cell."""
    if isinstance(value, Md):
        return Md(value.strip())
    return Md(_escape(plain_text(value).strip()))


def md_strong_lead(value: object) -> Md:
    """Text whose only markup may be a leading ``**term**`` (the seed's bullet style).

    The model's characteristics are written as ``**Multi-AZ構成**: ...``; the bold
    term is kept, everything (including the term) is escaped.
    """
    text = plain_text(value)
    m = re.match(r"^\*\*(.+?)\*\*(.*)$", text, re.S)
    if not m:
        return md_text(text)
    rest = _escape(m.group(2))
    return Md(f"**{md_text(m.group(1))}**{rest}")


def md_raw(value: object) -> Md:
    """Mark template-built Markdown as safe (never apply to model values)."""
    return Md("" if value is None else str(value))


_URL_SAFE = re.compile(r"^[A-Za-z0-9._~/#:-]+$")


def md_link(label: object, target: str) -> Md:
    """``[label](target)`` with an escaped label; ``target`` must be a plain relative path."""
    if not _URL_SAFE.match(target):
        raise ValueError(f"unsafe link target {target!r}")
    return Md(f"[{md_inline(label)}]({target})")


def md_image(alt: object, target: str, attrs: str = "") -> Md:
    """``![alt](target){attrs}``; ``attrs`` is template-authored attr_list text."""
    if not _URL_SAFE.match(target):
        raise ValueError(f"unsafe image target {target!r}")
    return Md(f"![{md_inline(alt)}]({target})" + (f"{{ {attrs} }}" if attrs else ""))


FILTERS = {
    "md": md_text,
    "md_text": md_text,
    "md_inline": md_inline,
    "md_cell": md_cell,
    "md_strong_lead": md_strong_lead,
    "md_raw": md_raw,
}
