"""Write the approval PDF with Typst, offline, from the generated pages: PDF/A-3a, tagged.

The PDF is archival (:data:`PDF_VARIANT`, PDF/A-3 level A): tagged (headings, lists,
tables and figures are structure elements; each diagram's alternative text is the one from
the model), fonts embedded, colours under an sRGB output intent, XMP metadata, and — with
a :class:`~render.print.archival.Record` — the model it was built from attached as
associated files (:mod:`render.print.archival`). Typst writes all of that; archdoc then adds
its own XMP properties (record fields, stable ids) as an update appended to Typst's file
(:func:`add_record`, the file read with pikepdf).

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
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlparse

from render.print.archival import Record, merge_xmp
from render.print.document import PrintSource, as_cover, print_source

__all__ = ["write_pdf", "compile_pdf", "add_record", "RefusedURL", "PrintFailed", "PDF_VARIANT",
           "resolve_images", "TypstSession"]

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
    with TypstSession() as session:
        return session.compile(source, docs_dir, standard)


class TypstSession:
    """One Typst compiler and root folder kept for several compiles of a document.

    Typst remembers its layout work by content (paragraphs, tables, images) inside one
    compiler, so a document laid out earlier with most of its chapters (:meth:`rehearse`,
    while the last pages are still being made) compiles again in a fraction of the time.
    What is remembered is keyed by the content itself: the PDF is byte for byte the one a
    fresh compiler writes; only the time differs. At each compile the root holds exactly the
    current source, its images and its attachments (what an earlier one left is removed).
    """

    SOURCE = "main.typ"

    def __init__(self, root: Path | None = None) -> None:
        """``root``: the (new) folder for Typst's files; a temporary folder without one."""
        if root is None:
            self.root = Path(tempfile.mkdtemp(prefix="archdoc-print-"))
        else:
            self.root = Path(root)
            self.root.mkdir(parents=True)
        self._compiler: Any = None
        self._placed: set[str] = set()
        self._digest = ""
        """SHA-256 of everything placed in the root last (names and bytes): what Typst reads."""
        self._last: tuple[tuple[Any, ...], bytes] | None = None
        """The last PDF written, and what it was written from (:meth:`compile`)."""

    def __enter__(self) -> "TypstSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def rehearse(self, source: PrintSource, docs_dir: Path) -> None:
        """Lay ``source`` out without writing a PDF (Typst's ``query``), for its layout to be
        remembered. Raises whatever Typst or the images raise: the caller decides."""
        self._place(source, docs_dir)
        self._compiler.query("<archdoc-rehearsal>")

    def compile(self, source: PrintSource, docs_dir: Path, standard: str | None = PDF_VARIANT) -> bytes:
        """The PDF of ``source``: see :func:`compile_pdf`. Compiled ahead already (the same
        markup, images and attachments, byte for byte, and the same standard): that PDF, as
        Typst would write it again."""
        import typst

        self._place(source, docs_dir)
        when = _dt.datetime.combine(source.modified, _dt.time(), _dt.timezone.utc)
        key = (self._digest, standard, when)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        try:
            pdf = self._compiler.compile(format="pdf", pdf_standards=[standard] if standard else [],
                                         timestamp=when, pdf_tags=standard is not None)
        except typst.TypstError as exc:
            raise PrintFailed(_typst_message(exc)) from None
        self._last = (key, pdf)
        return pdf

    def _place(self, source: PrintSource, docs_dir: Path) -> None:
        """Write the source and copy what it reads into the root; remove what it does not read.
        Everything placed is hashed (:attr:`_digest`): the same digest, the same PDF."""
        import typst

        files: dict[str, bytes | Path] = dict(resolve_images(source.images, docs_dir))
        files.update({a.file: a.data for a in source.attachments})
        files[self.SOURCE] = source.markup.encode("utf-8")
        for stale in sorted(self._placed - set(files)):
            (self.root / stale).unlink(missing_ok=True)
        self._placed = set()
        digest = hashlib.sha256()
        for name, content in sorted(files.items()):
            if isinstance(content, Path):
                try:
                    content = content.read_bytes()
                except OSError as exc:
                    raise PrintFailed(f"{content}: {exc.strerror or exc}") from None
            digest.update(f"{name}\0{len(content)}\0".encode("utf-8"))
            digest.update(content)
            target = self.root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            self._placed.add(name)
        self._digest = digest.hexdigest()
        if self._compiler is None:
            self._compiler = typst.Compiler(str(self.root / self.SOURCE), root=str(self.root))


def _typst_message(exc: Any) -> str:
    """Typst's error in one line: what failed, and its hints."""
    message = " ".join(str(getattr(exc, "message", exc)).split())
    hints = [" ".join(h.split()) for h in getattr(exc, "hints", []) or []]
    return message + ("".join(f" (hint: {h})" for h in hints) if hints else "")


def add_record(pdf: bytes, document: Any, record: Record | None) -> bytes:
    """``pdf`` with archdoc's XMP properties added to Typst's and archdoc named as its creator
    (``document``: a :class:`~render.print.cover.PrintCover` made with ``record``, or the
    model's document).

    An incremental update (ISO 32000-1 7.5.6; PDF/A allows it, as it does for signatures):
    the new metadata stream and document information dictionary are appended after Typst's
    file with a cross-reference section of their own, so nothing Typst wrote is rewritten.
    Reading the file's structure is pikepdf's (qpdf); only the appended section is written
    here. The second file identifier is the digest of the content up to it, so the same
    document gives the same bytes. Without ``record`` the file is Typst's, unchanged.
    """
    import io

    import pikepdf
    import typst

    if record is None:
        return pdf
    descriptions = as_cover(document, record).xmp
    if descriptions is None:
        raise ValueError("the document's print cover was made without the record the PDF carries")
    creator = f"archdoc {record.archdoc_version} (Typst {typst.__version__})"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta, info = doc.Root.Metadata, doc.trailer.Info
        if not (meta.is_indirect and info.is_indirect):
            raise PrintFailed("the PDF's metadata or document information is not an object of its own")
        xmp = merge_xmp(meta.read_bytes(), descriptions, creator)
        (meta_num, meta_gen), (info_num, info_gen) = meta.objgen, info.objgen
        new_info = pikepdf.Dictionary({key: info[key] for key in info.keys()})
        new_info["/Creator"] = pikepdf.String(creator)
        info_body = new_info.unparse(resolved=True)
        root, size, first_id = doc.Root.objgen, int(doc.trailer.Size), bytes(doc.trailer.ID[0])
    last = _STARTXREF.search(pdf[-64:])
    if last is None:
        raise PrintFailed("the PDF has no cross-reference offset at its end")
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    offsets[meta_num] = (len(out), meta_gen)
    out += (f"{meta_num} {meta_gen} obj\n<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>\nstream\n".encode()
            + xmp + b"\nendstream\nendobj\n")
    offsets[info_num] = (len(out), info_gen)
    out += f"{info_num} {info_gen} obj\n".encode() + info_body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"  # the free list's head, as readers expect a section to begin
    for num in sorted(offsets):
        at, gen = offsets[num]
        out += f"{num} 1\n{at:010d} {gen:05d} n \n".encode()
    second = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest()
    out += (f"trailer\n<< /Size {size} /Root {root[0]} {root[1]} R /Info {info_num} {info_gen} R "
            f"/ID [<{first_id.hex()}> <{second}>] /Prev {int(last.group(1))} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def write_pdf(pages: dict[str, str], docs_dir: Path, out: Path, document: Any,
              order: list[str] | None = None, record: Record | None = None,
              session: "TypstSession | None" = None, source: PrintSource | None = None) -> Path:
    """Render ``pages`` ({doc-relative path: Markdown}) with ``document`` metadata to ``out``.

    Images are read from ``docs_dir`` (each diagram from its SVG). ``record``: the
    model to attach and name on the cover (:class:`~render.print.archival.Record`). The file
    is written atomically (a temporary file renamed into place), so a failed run leaves the
    previous PDF untouched. Raises :class:`RefusedURL` when a resource was refused (nothing is
    written) and :class:`PrintFailed` when Typst could not lay the document out. ``session``:
    a :class:`TypstSession` that rehearsed the document (a fresh one otherwise); ``source``: the
    :func:`~render.print.document.print_source` of exactly these arguments, made ahead with it.
    """
    docs_dir, out = Path(docs_dir).resolve(), Path(out)
    cover = as_cover(document, record)
    if source is None:
        source = print_source(pages, docs_dir, cover, order, record)
    if session is None:
        pdf = compile_pdf(source, docs_dir)
    else:
        pdf = session.compile(source, docs_dir)
    pdf = add_record(pdf, cover, record)
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
