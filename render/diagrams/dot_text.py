"""Label text for DOT: wrapping Japanese/Latin labels and escaping them into quoted strings.

Graphviz does not wrap text, and Japanese has no spaces, so long labels overflow their
node. :func:`wrap` breaks a label into lines of about 12 full-width characters: a space
next to a Japanese character is a preferred break (the model writes the seed's ``<br/>``
as a space there), Latin words are never split, and lines are balanced.

:func:`quote` makes any text a safe DOT *quoted* string (never an HTML-like label), so
``<b>x</b>``, backslashes, quotes and newlines render literally and cannot break the file.

>>> wrap("開発者 市職員役 Client VPN接続")
['開発者', '市職員役', 'Client VPN接続']
>>> wrap("Application Load Balancer")
['Application', 'Load Balancer']
>>> quote('a "b" \\\\ <c>')
'"a \\\\"b\\\\" \\\\\\\\ <c>"'
>>> unquote(quote('C:\\\\x\\n"y"'))
'C:\\\\x\\n"y"'
"""

from __future__ import annotations

import unicodedata

from render.escape import plain_text

__all__ = ["wrap", "quote", "unquote", "label", "clip", "text_width", "MAX_WIDTH", "MAX_LINES", "MAX_LINE_WIDTH"]

MAX_WIDTH = 12.0
"""Line width in full-width characters."""
MAX_LINES = 4
"""Wrapped lines a label may take in a diagram; longer text ends with '…' (tables and the
SVG tooltip keep the whole text). The schema allows 2,000 characters of text, and a node
drawn with all of them would be taller than Graphviz's cairo renderer can rasterise."""
MAX_LINE_WIDTH = 2 * MAX_WIDTH
"""Widest single line (a long Latin word, a security-group name), in full-width characters."""
ELLIPSIS = "…"
_SCAN = int(4 * MAX_LINES * MAX_LINE_WIDTH / 0.55)
"""Characters of a label looked at before wrapping: more cannot fit in MAX_LINES lines, and
the line-balancing search is quadratic in its input."""


def _char_width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") and ord(ch) > 0x2000 else 0.55


def text_width(text: str) -> float:
    """Estimated width of ``text`` in full-width characters.

    >>> text_width("監視"), round(text_width("ab"), 2)
    (2.0, 1.1)
    """
    return sum(_char_width(c) for c in text)


def _is_wide(ch: str) -> bool:
    return _char_width(ch) == 1.0


def _tokens(segment: str) -> list[str]:
    """Break units of a segment: Latin words (with their trailing space) and single wide chars."""
    out: list[str] = []
    word = ""
    for ch in segment:
        if _is_wide(ch):
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            word += ch
            out.append(word)
            word = ""
        else:
            if word.endswith(" "):
                out.append(word)
                word = ""
            word += ch
    if word:
        out.append(word)
    return [t for t in out if t]


def _greedy(tokens: list[str], width: float) -> list[str]:
    """Lines filled one token at a time (how many lines the text needs at least)."""
    lines = [""]
    for tok in tokens:
        if lines[-1] and text_width(lines[-1]) + text_width(tok.rstrip()) > width:
            lines[-1] = lines[-1].rstrip()
            lines.append("")
        lines[-1] += tok
    return [line.strip() for line in lines]


def _balanced(tokens: list[str], width: float, max_lines: int = MAX_LINES) -> list[str]:
    """Fewest lines (greedy count), then the split that minimises the widest line.

    More than ``max_lines`` lines are not balanced (the caller cuts them): the greedy
    lines are returned as they are.
    """
    greedy = _greedy(tokens, width)
    lines = len(greedy)
    if lines > max_lines:
        return greedy
    n = len(tokens)
    # best[k][i]: minimal max width splitting tokens[i:] into k lines
    best: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def solve(k: int, i: int) -> tuple[float, list[int]]:
        if (k, i) in best:
            return best[(k, i)]
        if k == 1:
            result = (text_width("".join(tokens[i:]).rstrip()), [])
        else:
            result = (float("inf"), [])
            for j in range(i + 1, n - k + 2):
                head = text_width("".join(tokens[i:j]).rstrip())
                rest, cuts = solve(k - 1, j)
                cand = max(head, rest)
                if cand < result[0] - 1e-9:
                    result = (cand, [j] + cuts)
        best[(k, i)] = result
        return result

    lines = min(lines, n)
    _, cuts = solve(lines, 0)
    bounds = [0] + cuts + [n]
    return ["".join(tokens[a:b]).strip() for a, b in zip(bounds, bounds[1:])]


def clip(line: str, width: float = MAX_LINE_WIDTH) -> str:
    """``line`` cut to ``width`` full-width characters, ending with '…' when it was cut.

    >>> clip("abcdefgh", 3.2), clip("監視", 2.0), clip("監視対象", 2.0)
    ('abcd…', '監視', '監…')
    """
    if text_width(line) <= width + 1e-9:
        return line
    out, used = "", text_width(ELLIPSIS)
    for ch in line:
        if used + _char_width(ch) > width + 1e-9:
            break
        out += ch
        used += _char_width(ch)
    return out.rstrip() + ELLIPSIS


def wrap(text: str, width: float = MAX_WIDTH, max_lines: int = MAX_LINES) -> list[str]:
    """Split ``text`` into at most ``max_lines`` display lines (explicit newlines are kept as breaks).

    Text that needs more lines is cut and ends with '…'; so is a single word wider than
    :data:`MAX_LINE_WIDTH`.

    >>> wrap("ab " * 40, max_lines=2)
    ['ab ab ab ab ab ab ab', 'ab ab ab ab ab ab ab…']
    """
    cut = len(text) > _SCAN
    lines: list[str] = []
    for raw in text[:_SCAN].splitlines() or [""]:
        segment = ""
        chars = raw.strip()
        for pos, ch in enumerate(chars):
            if ch == " " and segment and (_is_wide(chars[pos - 1]) or (pos + 1 < len(chars) and _is_wide(chars[pos + 1]))):
                lines.append(segment)
                segment = ""
                continue
            segment += ch
        lines.append(segment)
    out: list[str] = []
    for line in lines:
        if len(out) > max_lines:
            break
        line = " ".join(line.split())
        if text_width(line) <= width:
            out.append(line)
        else:
            out.extend(_balanced(_tokens(line), width, max_lines))
    out = [clip(line) for line in out if line] or [""]
    if len(out) > max_lines or cut:
        out = out[:max_lines]
        last = out[-1].removesuffix(ELLIPSIS)
        room = max(width, text_width(out[-1])) - text_width(ELLIPSIS)
        while last and text_width(last) > room + 1e-9:
            last = last[:-1]
        out[-1] = last.rstrip() + ELLIPSIS
    return out


def quote(text: str) -> str:
    """A DOT quoted string showing ``text`` literally; a newline becomes a centred line break."""
    body = plain_text(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def unquote(token: str) -> str:
    """Inverse of :func:`quote` for strings this package wrote."""
    body = token[1:-1] if token.startswith('"') and token.endswith('"') else token
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "l": "\n", "r": "\n"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def label(text: str, extra: tuple[str, ...] = ()) -> str:
    """Wrapped label lines joined by newlines, plus ``extra`` lines unwrapped but clipped (e.g. SG names)."""
    return "\n".join(wrap(text) + [clip(" ".join(e.split())) for e in extra if e])
