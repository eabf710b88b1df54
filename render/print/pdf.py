"""Write the approval PDF with Typst, offline, from the generated pages: PDF/A-3a, tagged.

The PDF is archival (:data:`PDF_VARIANT`, PDF/A-3 level A): tagged (headings, lists,
tables and figures are structure elements; each diagram's alternative text is the one from
the model), fonts embedded, colours under an sRGB output intent, XMP metadata, and — with
a :class:`~render.print.archival.Record` — the model it was built from attached as
associated files (:mod:`render.print.archival`). Typst writes all of that; archdoc then adds
its own XMP properties (record fields, stable ids) with pikepdf.

Typst reads only files under the folder it is given as its root, and has no way to fetch
a URL. The build runs in CI and on laptops with model text typed by people, so that root
is a fresh temporary folder that holds exactly what the document needs: its source, the
model files to attach, and a copy of each image — taken only from ``data:`` URLs and
from ``file:`` URLs inside the docs folder. Any other image source is refused (and named:
:class:`RefusedURL`) before anything is written. Fonts come from fontconfig's folders
("Noto Sans CJK JP" from fonts-noto-cjk); Typst embeds the subset used, so the PDF shows
the Japanese text on any machine.
"""

from __future__ import annotations

import base64
import datetime as _dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlparse

from render.print.archival import Record, merge_xmp
from render.print.document import PrintSource, print_source

__all__ = ["write_pdf", "compile_pdf", "add_record", "RefusedURL", "PrintFailed", "PDF_VARIANT",
           "resolve_images"]

PDF_VARIANT = "a-3a"
"""PDF/A-3 (embedded files allowed, as associated files) at level A: Typst tags the document
for it (level B would leave the structure optional)."""


class RefusedURL(ValueError):
    """A resource the PDF would have needed from outside the allowed local folders."""


class PrintFailed(RuntimeError):
    """Typst could not lay the document out (an unreadable image, a font missing): the message says why."""


_DATA = re.compile(r"^data:([^,;]*)((?:;[^,;]*)*),(.*)$", re.S)


def resolve_images(images: dict[str, str], docs_dir: Path) -> dict[str, bytes | Path]:
    """Each image's content (``data:`` URL) or file (``file:`` URL inside ``docs_dir``).

    Raises :class:`RefusedURL` naming every other source: a URL (never fetched) or a file
    outside the docs folder.
    """
    root = Path(docs_dir).resolve()
    out: dict[str, bytes | Path] = {}
    refused: list[str] = []
    for name, src in sorted(images.items()):
        scheme = urlparse(src).scheme.lower()
        if scheme == "data":
            m = _DATA.match(src)
            if m is None:
                refused.append(src[:40])
                continue
            out[name] = base64.b64decode(m.group(3)) if ";base64" in m.group(2) else unquote_to_bytes(m.group(3))
        elif scheme == "file":
            path = Path(unquote(urlparse(src).path)).resolve()
            if path != root and root not in path.parents:
                refused.append(f"{src} (outside the allowed folders)")
            else:
                out[name] = path
        else:
            refused.append(f"{src} (not a local resource)")
    if refused:
        raise RefusedURL("the PDF needs resources that are not local: " + ", ".join(refused))
    return out


def compile_pdf(source: PrintSource, docs_dir: Path, standard: str | None = PDF_VARIANT) -> bytes:
    """The PDF of ``source`` (PDF/A-3a, tagged), before archdoc's XMP is added. ``standard=None``:
    a plain PDF without tags (the baseline of ``bench/bench_pdf.py``)."""
    import typst

    files = resolve_images(source.images, docs_dir)
    with tempfile.TemporaryDirectory(prefix="archdoc-print-") as tmp:
        root = Path(tmp)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                try:
                    shutil.copyfile(content, root / name)
                except OSError as exc:
                    raise PrintFailed(f"{content}: {exc.strerror or exc}") from None
            else:
                (root / name).write_bytes(content)
        for a in source.attachments:
            (root / a.file).parent.mkdir(parents=True, exist_ok=True)
            (root / a.file).write_bytes(a.data)
        (root / "main.typ").write_text(source.markup, encoding="utf-8")
        when = _dt.datetime.combine(source.modified, _dt.time(), _dt.timezone.utc)
        try:
            compiler = typst.Compiler(str(root / "main.typ"), root=str(root))
            return compiler.compile(format="pdf", pdf_standards=[standard] if standard else [], timestamp=when,
                                    pdf_tags=standard is not None)
        except typst.TypstError as exc:
            raise PrintFailed(_typst_message(exc)) from None


def _typst_message(exc: Any) -> str:
    """Typst's error in one line: what failed, and its hints."""
    message = " ".join(str(getattr(exc, "message", exc)).split())
    hints = [" ".join(h.split()) for h in getattr(exc, "hints", []) or []]
    return message + ("".join(f" (hint: {h})" for h in hints) if hints else "")


def add_record(pdf: bytes, document: Any, record: Record | None) -> bytes:
    """``pdf`` with archdoc's XMP properties added to Typst's and archdoc named as its creator
    (a rewrite with pikepdf; the file identifier is computed from the content, so the same
    document gives the same bytes)."""
    import io

    import pikepdf
    import typst

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if record is not None:
            creator = f"archdoc {record.archdoc_version} (Typst {typst.__version__})"
            meta = doc.Root.Metadata
            meta.write(merge_xmp(meta.read_bytes(), document, record, creator))
            doc.docinfo["/Creator"] = creator
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()


def write_pdf(pages: dict[str, str], docs_dir: Path, out: Path, document: Any,
              order: list[str] | None = None, record: Record | None = None) -> Path:
    """Render ``pages`` ({doc-relative path: Markdown}) with ``document`` metadata to ``out``.

    Images are read from ``docs_dir`` (each diagram from its SVG). ``record``: the
    model to attach and name on the cover (:class:`~render.print.archival.Record`). The file
    is written atomically (a temporary file renamed into place), so a failed run leaves the
    previous PDF untouched. Raises :class:`RefusedURL` when a resource was refused (nothing is
    written) and :class:`PrintFailed` when Typst could not lay the document out.
    """
    docs_dir, out = Path(docs_dir).resolve(), Path(out)
    source = print_source(pages, docs_dir, document, order, record)
    pdf = add_record(compile_pdf(source, docs_dir), document, record)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".archdoc-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a published PDF is world-readable
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
