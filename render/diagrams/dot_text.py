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

__all__ = ["wrap", "quote", "unquote", "label", "text_width", "MAX_WIDTH"]

MAX_WIDTH = 12.0
"""Line width in full-width characters."""


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


def _balanced(tokens: list[str], width: float) -> list[str]:
    """Fewest lines (greedy count), then the split that minimises the widest line."""
    lines = 1
    used = 0.0
    for tok in tokens:
        w = text_width(tok.rstrip())
        if used and used + w > width:
            lines += 1
            used = 0.0
        used += text_width(tok)
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


def wrap(text: str, width: float = MAX_WIDTH) -> list[str]:
    """Split ``text`` into display lines (explicit newlines are kept as breaks)."""
    lines: list[str] = []
    for raw in text.splitlines() or [""]:
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
        line = " ".join(line.split())
        if text_width(line) <= width:
            out.append(line)
        else:
            out.extend(_balanced(_tokens(line), width))
    return [line for line in out if line] or [""]


def _clean(text: str) -> str:
    """Drop control characters (other than newline) that Graphviz would choke on."""
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cs"))


def quote(text: str) -> str:
    """A DOT quoted string showing ``text`` literally; a newline becomes a centred line break."""
    body = _clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
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
    """Wrapped label lines joined by newlines, plus ``extra`` lines unwrapped (e.g. SG names)."""
    return "\n".join(wrap(text) + [e for e in extra if e])
