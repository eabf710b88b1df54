"""Read one model file: size and encoding checks, then the fast path or the exact loader.

Clean text is read by libyaml (:mod:`model.yaml.fast`); anything else, and every
refusal, by the exact Python loader (:mod:`model.yaml.exact`), whose messages and
positions are the ones users see.

>>> parse_text("a: [1, 2]\\n", "m.yaml").data
{'a': [1, 2]}
"""

from __future__ import annotations

import os
import stat

from model.errors import ModelError, Problem
from model.yaml.exact import MAX_BYTES, Located, parse_exact
from model.yaml.fast import fast_parse

__all__ = ["load_file", "parse_text"]


def _decode(raw: bytes, path: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[start:exc.start].decode("utf-8", "replace")) + 1
        raise ModelError([Problem(path, line, col, "E004",
                                  f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")])
    return text[1:] if text.startswith("\ufeff") else text


def parse_text(text: str, path: str) -> Located:
    """Parse ``text`` (the contents of ``path``) or raise :class:`ModelError` with every refusal."""
    fast = fast_parse(text)
    if fast is not None:
        return Located(path, *fast)
    return parse_exact(text, path)


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def load_file(path: str | os.PathLike[str]) -> Located:
    """Read one model file: file type, size and encoding checks first, then :func:`parse_text`.

    The file is opened without blocking and checked with ``fstat`` before anything is read,
    so a FIFO or a device (``--model /dev/stdin``, a named pipe) is refused at once (E003)
    instead of hanging the command, and the check cannot race with a rename.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ModelError([Problem(name, 0, 0, "E003", f"not a regular file: {_kind(info.st_mode)}; "
                                                              "give a YAML file or a folder of them")])
            if info.st_size > MAX_BYTES:
                raise ModelError([Problem(name, 0, 0, "E003", f"file is {info.st_size} bytes, over the limit "
                                                              f"of {MAX_BYTES} bytes (1 MiB)")])
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ModelError([Problem(name, 0, 0, "E004", f"cannot read file: {exc.strerror or exc}")])
    if len(raw) > MAX_BYTES:
        raise ModelError([Problem(name, 0, 0, "E003", f"file is over the limit of {MAX_BYTES} bytes (1 MiB)")])
    return parse_text(_decode(raw, name), name)
