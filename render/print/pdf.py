"""Write the approval PDF with WeasyPrint, offline, from the generated pages: PDF/A-3a, tagged.

The PDF is archival (:data:`PDF_VARIANT`, PDF/A-3 level A): tagged (headings, lists,
tables and figures are structure elements; each diagram's /Alt is its alternative text
from the model), fonts embedded, colours under an sRGB output intent, XMP metadata, and
— with a :class:`~render.print.archival.Record` — the model it was built from attached
as associated files (:mod:`render.print.archival`).

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
import datetime as _dt
import gc
import os
import tempfile
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from render.print.archival import MIME, Record, attachments, merge_xmp, modified_date, xmp_descriptions
from render.print.html import TEMPLATE_DIR, print_html

__all__ = ["write_pdf", "archival_options", "LocalFetcher", "RefusedURL", "PDF_VARIANT", "fewer_collections"]

PDF_VARIANT = "pdf/a-3a"
"""PDF/A-3 (embedded files allowed, as associated files) at level A: WeasyPrint tags the
document (``pdf_tags``) for it, which level U would leave optional."""


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


def _attachments(record: Record | None, when: _dt.datetime) -> list:
    from weasyprint import Attachment

    return [Attachment(string=a.data, name=a.name, description=a.description, relationship=a.relationship,
                       created=when, modified=when) for a in (attachments(record) if record else [])]


def _finish(document: Any, record: Record | None, _rendered: Any, pdf: Any) -> None:
    """WeasyPrint finisher: archdoc's XMP properties, and the media type of every embedded file."""
    if record is None:
        return
    meta = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    meta.stream = [merge_xmp(b"".join(meta.stream), xmp_descriptions(document, record))]
    for spec in (o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/Filespec"):
        mime = MIME.get(PurePosixPath(spec["UF"].string).suffix)
        if mime:
            pdf.objects[int(spec["EF"]["F"].split()[0])].extra["Subtype"] = "/" + mime.replace("/", "#2f")


def archival_options(document: Any, record: Record | None) -> dict[str, Any]:
    """WeasyPrint's ``write_pdf`` options of the archival PDF: PDF/A-3a, tagged (the variant's
    sRGB output intent and file identifier), the record attached, archdoc's XMP added. The
    embedded files are dated by the document's last change, so the same record gives the same files."""
    when = _dt.datetime.combine(modified_date(document), _dt.time(), _dt.timezone.utc)
    return {"pdf_variant": PDF_VARIANT, "pdf_tags": True, "attachments": _attachments(record, when),
            "finisher": partial(_finish, document, record)}


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
              order: list[str] | None = None, record: Record | None = None) -> Path:
    """Render ``pages`` ({doc-relative path: Markdown}) with ``document`` metadata to ``out``.

    Images are read from ``docs_dir`` (the PNG beside each referenced SVG). ``record``: the
    model to attach and name on the cover (:class:`~render.print.archival.Record`). The file
    is written atomically (a temporary file renamed into place), so a failed run leaves the
    previous PDF untouched. Raises :class:`RefusedURL` when a resource was refused.
    """
    from weasyprint import HTML

    docs_dir, out = Path(docs_dir).resolve(), Path(out)
    source = print_html(pages, docs_dir, document, order, record)
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
            rendered.write_pdf(tmp, **archival_options(document, record))
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a published PDF is world-readable
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
