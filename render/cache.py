"""archdoc's cache folder on this machine, and the compiled templates kept in it.

What is kept here only saves time and never changes a byte of what archdoc writes: resized
icons (:func:`render.diagrams.icons.icon_cache_dir`) and templates compiled by Jinja
(:func:`template_cache`), for archdoc's page and print templates and for the MkDocs theme's
(:mod:`archdoc.site_runner`). Jinja checks a compiled template against the checksum of its
source and against its own and Python's version before using it, so an edited template or an
upgrade is compiled again; the folder's name carries Jinja's version too. Like Python's own
``.pyc`` files, the folder is trusted: it is the user's.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

__all__ = ["cache_root", "template_cache", "template_cache_dir", "keep_nothing"]

_keep = True
"""False in a read-only command (:func:`keep_nothing`): the cache is read, never written."""


@contextmanager
def keep_nothing() -> Iterator[None]:
    """Inside the block, the cache is read but nothing is written into it (``archdoc check``
    writes nothing anywhere; it still uses templates an earlier command kept)."""
    global _keep
    was, _keep = _keep, False
    try:
        yield
    finally:
        _keep = was


def cache_root() -> Path:
    """``$ARCHDOC_CACHE``, else ``$XDG_CACHE_HOME/archdoc``, else ``~/.cache/archdoc``."""
    return Path(os.environ.get("ARCHDOC_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "archdoc"))


def template_cache_dir() -> Path:
    """Where compiled templates are kept, per Jinja version."""
    import jinja2

    return cache_root() / f"templates-jinja-{jinja2.__version__}"


def template_cache(folder: Path | None = None) -> Any:
    """A Jinja bytecode cache in ``folder`` (default :func:`template_cache_dir`) that never fails
    a build: a folder it cannot create, read or write is a cache miss (the template is compiled,
    as without a cache). None when the folder cannot be made at all."""
    import jinja2

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            if not _keep:
                return
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    folder = folder if folder is not None else template_cache_dir()
    if not _keep:
        return QuietBytecodeCache(str(folder))  # a missing folder: every template is a miss
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return QuietBytecodeCache(str(folder))
