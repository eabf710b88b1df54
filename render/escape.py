"""Model text into each output format: one escaping function per format, all built on :func:`plain_text`.

The model is untrusted input (anyone who edits the YAML writes into a site served to
others), so every string from it is escaped exactly once, where it enters a format:

=====================  =========================================================  ===========================
format                 function                                                   used by
=====================  =========================================================  ===========================
Markdown (site pages)  :func:`render.pages.markdown.md_text` (``md_inline``,       page templates (``finalize``)
                       ``md_cell`` for the inline and table-cell contexts)
HTML (print document)  :func:`html_text` (text and double-quoted attributes)     print template (``finalize``)
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
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["plain_text", "html_text", "mkdocs_text", "BIDI_CONTROLS"]

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
