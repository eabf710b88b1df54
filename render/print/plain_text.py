"""A Python-Markdown extension: text with no inline syntax skips the inline patterns.

Python-Markdown tries each of its inline patterns (code, links, emphasis, HTML, entities,
line breaks, ...) on every text of the tree, in Python. The generated pages are mostly
tables of plain words (ids, ports, verdicts), so most of the print's conversion time went
there for nothing. A text that holds none of the characters any inline pattern starts with
cannot match one: it is marked atomic (:class:`markdown.util.AtomicString`), which the
inline processor leaves as it is. The HTML is the same as without the extension (tested
on every page of the bundled models); only the time differs.

>>> import markdown
>>> text = "| a | b |\\n|---|---|\\n| plain | *em* `code` |"
>>> markdown.markdown(text, extensions=["tables", PlainText()]) == markdown.markdown(text, extensions=["tables"])
True
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

__all__ = ["PlainText"]

_INLINE_SYNTAX = re.compile(r"[`\\\[\]!<>&*_\x02\x03]|  \n")
"""What any inline pattern of the extensions used needs: code and escapes, links and images,
autolinks and raw HTML, entities, emphasis, two spaces before a line break, and the
placeholders (STX/ETX) that earlier steps leave in the text."""


class _MarkPlain(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.text and not isinstance(element.text, AtomicString) and not _INLINE_SYNTAX.search(element.text):
                element.text = AtomicString(element.text)
            if element.tail and not isinstance(element.tail, AtomicString) and not _INLINE_SYNTAX.search(element.tail):
                element.tail = AtomicString(element.tail)


class PlainText(Extension):
    """Mark plain texts atomic just before the inline patterns run (priority 20)."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_MarkPlain(md), "archdoc_plain_text", 21)
