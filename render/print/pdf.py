"""Write the approval PDF with WeasyPrint, offline, from the generated pages.

WeasyPrint fetches every ``src``/``href`` it meets. The build runs in CI and on laptops
with model text typed by people, so a stray URL must never become a network request: the
:class:`LocalFetcher` serves only ``data:`` URLs and ``file:`` URLs inside the allowed
folders (the docs folder and the print templates) and refuses (and records) everything
else. Fonts come from fontconfig ("Noto Sans CJK JP" from fonts-noto-cjk); WeasyPrint
embeds the subset used, so the PDF shows the Japanese text on any machine.

WeasyPrint allocates millions of small objects while it lays out and draws, and keeps them
until the PDF is written; Python's cyclic garbage collector would walk them again and again
for nothing (about a tenth of the time), so it is off while WeasyPrint runs
(:func:`fewer_collections`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from render.print.html import TEMPLATE_DIR, print_html

__all__ = ["write_pdf", "LocalFetcher", "RefusedURL", "fewer_collections"]


class RefusedURL(ValueError):
    """A resource the PDF would have needed from outside the allowed local folders."""


def _fetcher_base():
    from weasyprint.urls import URLFetcher
    return URLFetcher


class LocalFetcher(_fetcher_base()):
    """A WeasyPrint URL fetcher for ``data:`` and for ``file:`` under ``roots`` only.

    Refusals are collected in ``refused`` (WeasyPrint logs a fetch error and leaves the
    resource out; :func:`write_pdf` then fails so that a PDF with a hole is never shipped).
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)
        self.roots = [Path(r).resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None):
        scheme = urlparse(url).scheme.lower()
        if scheme == "file":
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path == root or root in path.parents for root in self.roots):
                self.refused.append(url)
                raise RefusedURL(f"outside the allowed folders: {url}")
        elif scheme != "data":
            self.refused.append(url)
            raise RefusedURL(f"not a local resource: {url}")
        return super().fetch(url, headers)


@contextlib.contextmanager
def fewer_collections():
    """No cyclic garbage collection inside the block (the collector runs again after it).

    WeasyPrint keeps every box of every page alive until the PDF is written, so collecting
    while it runs frees nothing (measured: the same peak memory with and without) and costs
    a tenth of the time, more on long documents (full collections walk everything).

    >>> with fewer_collections():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def write_pdf(pages: dict[str, str], docs_dir: Path, out: Path, document: Any,
              order: list[str] | None = None) -> Path:
    """Render ``pages`` ({doc-relative path: Markdown}) with ``document`` metadata to ``out``.

    Images are read from ``docs_dir`` (the PNG beside each referenced SVG). The file is
    written atomically (a temporary file renamed into place), so a failed run leaves the
    previous PDF untouched. Raises :class:`RefusedURL` when a resource was refused.
    """
    from weasyprint import HTML

    docs_dir, out = Path(docs_dir).resolve(), Path(out)
    source = print_html(pages, docs_dir, document, order)
    fetcher = LocalFetcher([docs_dir, TEMPLATE_DIR])
    with fewer_collections():
        rendered = HTML(string=source, base_url=docs_dir.as_uri() + "/", url_fetcher=fetcher).render()
    if fetcher.refused:
        raise RefusedURL("the PDF needs resources that are not local: " + ", ".join(sorted(set(fetcher.refused))))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".archdoc-", suffix=".pdf", dir=out.parent)
    os.close(fd)
    try:
        with fewer_collections():
            rendered.write_pdf(tmp)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a published PDF is world-readable
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
