"""Model text into each output format: one escaping function per format, all built on :func:`plain_text`.

The model is untrusted input (anyone who edits the YAML writes into a site served to
others), so every string from it is escaped exactly once, where it enters a format:

=====================  =========================================================  ===========================
format                 function                                                   used by
=====================  =========================================================  ===========================
Markdown (site pages)  :func:`render.pages.markdown.md_text` (``md_inline``,       page templates (``finalize``)
                       ``md_cell`` for the inline and table-cell contexts)
HTML (print chapters)  :func:`html_text` (text and double-quoted attributes)     :mod:`render.print.html`
Typst (print document) :func:`typst_text` (markup), :func:`typst_string` (code)    :mod:`render.print.typeset`,
                                                                                  print template (``finalize``)
MkDocs configuration   :func:`mkdocs_text` (``site_name``)                        :mod:`archdoc.publish`
DOT (Graphviz)         :func:`render.diagrams.dot_text.quote`                     DOT writer
Mermaid                :func:`render.diagrams.mermaid.label`                      Mermaid export
SVG                    written by Graphviz from the quoted DOT (it escapes text)   —
=====================  =========================================================  ===========================

:func:`plain_text` comes first in each of them: it removes what no format should carry —
control characters (a NUL, an escape sequence) and the invisible bidirectional controls
(U+202E and friends) that make text *display* differently from what it says, a way to
mislead a reviewer who approves the document ("Trojan Source").

>>> plain_text("a\\u202ebc\\x00\\td\\r\\ne")
'abc d\\ne'
>>> html_text('<a href="x">&</a>')
Markup('&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt;')
>>> mkdocs_text('Title "A" <b>\\nB')
'Title &#34;A&#34; &lt;b&gt; B'
>>> print(typst_text("#set text(red) 1. *a* https://x"))
\\#set text(red) 1\\. \\*a\\* https\\:\\/\\/x
>>> print(typst_string('say "hi"\\n'))
"say \\"hi\\"\\n"
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

__all__ = ["plain_text", "html_text", "mkdocs_text", "typst_text", "typst_string", "TypstMarkup", "BIDI_CONTROLS",
           "THEME_DIR"]

THEME_DIR = Path(__file__).resolve().parent / "pages" / "theme"
"""The MkDocs theme override every archdoc site is built with (``custom_dir``): Material's page
title is escaped again after its ``striptags`` (which un-escapes entities)."""

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Unicode's Bidi_Control characters: invisible, they reorder how the text around them shows."""

_TABLE = {**dict.fromkeys(map(ord, BIDI_CONTROLS)), **dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0)]),
          ord("\n"): "\n", ord("\t"): " ", 0x2028: "\n", 0x2029: "\n"}
_NEWLINES = re.compile(r"\r\n?")


def plain_text(value: object) -> str:
    """``value`` as text without control or bidi-control characters; line breaks become ``\\n``, tabs spaces."""
    text = "" if value is None else str(value)
    return _NEWLINES.sub("\n", text).translate(_TABLE)


def html_text(value: object) -> Markup:
    """HTML for ``value`` shown literally, in element text or a double-quoted attribute.

    Markup that a template author built (:class:`markupsafe.Markup`) passes unchanged;
    that is how the print template's ``finalize`` leaves ``| safe`` blocks alone.
    """
    if isinstance(value, Markup):
        return value
    return escape(plain_text(value))


def mkdocs_text(value: object) -> str:
    """A value for the MkDocs configuration (``site_name``): one line, HTML-escaped.

    MkDocs renders its theme without autoescaping and Material writes ``config.site_name``
    raw into element text and into ``aria-label="..."``, so the configuration must already
    hold HTML: the visible name is unchanged, and a quote or a tag cannot break out.
    """
    return str(html_text(" ".join(plain_text(value).split())))


class TypstMarkup(str):
    """Typst markup that archdoc built (from escaped parts): :func:`typst_text` passes it unchanged."""


_TYPST_SPECIAL = re.compile(r"""([\\#*_`$<>@=\-+/\[\]~'".:])""")
"""Every character Typst markup gives a meaning: code (#), strong, emphasis, raw, math, labels
and references, headings, lists and enumerations ('-', '+', '1.' at a line's start), terms and
comments ('/'), content brackets, a non-breaking space (~), smart quotes, dashes and the
ellipsis, and the URL that becomes a link by itself ('https://'). Each is escaped with '\\'."""


_SPACES = re.compile(r"\s+")


def typst_text(value: object) -> TypstMarkup:
    """Typst markup that shows ``value`` literally (whitespace runs become one space).

    Markup archdoc built (:class:`TypstMarkup`) passes unchanged: that is how the print
    template's ``finalize`` leaves converted chapters alone.
    """
    if isinstance(value, TypstMarkup):
        return value
    return TypstMarkup(_TYPST_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", plain_text(value))))


def typst_string(value: object) -> TypstMarkup:
    """A Typst string literal holding ``value`` (for code: a title, an alt text, a path)."""
    text = plain_text(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return TypstMarkup(f'"{text}"')
