"""What makes the approval PDF a record: PDF/A-3 metadata and the model it was built from.

A records office files the approved PDF for years, so the file says by itself what it
is and which model produced it:

* **the model travels with it**: every model file exactly as built, embedded as a PDF/A-3
  associated file (``/AFRelationship /Source``), plus the manifest (``/Data``) listing each
  file's SHA-256, the model digest (:mod:`model.archive`), the archdoc version and the
  document version; when the document was compared with an approved version, that
  version's model too (``approved/<version>/...``), so an extracted copy rebuilds the same
  pages (``archdoc extract``);
* **XMP metadata** beside what Typst writes (``pdfaid``, title, creators, dates):
  ``xmpMM`` ids derived from the document and the model (the same inputs give the same
  ids), and the ``archdoc`` schema — document number, organisation, version, status,
  model digest, archdoc version and the approval record — described by a PDF/A extension
  schema so a validator knows every property.

Nothing here reads files or the clock: :class:`Record` carries bytes and dates, so the
same record gives the same attachments and metadata.

>>> XMP_NS
'urn:archdoc:xmp:record:1#'
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from model.archive import MANIFEST_NAME, ArchiveFile, ModelArchive
from render.i18n import _

__all__ = ["Record", "Attachment", "attachments", "xmp_descriptions", "merge_xmp", "modified_date", "XMP_NS",
           "MIME"]


def escape(text: str) -> str:
    """``text`` as XML character data (``xml.sax.saxutils.escape``, whose module imports
    ``urllib.request`` and ``http.client``: 25 ms of every command that prints)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

XMP_NS = "urn:archdoc:xmp:record:1#"
MIME = {".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json"}
"""Media types of the embedded files (PDF/A-3 requires one on every embedded file)."""


@dataclass(frozen=True)
class Record:
    """Everything the PDF carries besides its pages."""

    archive: ModelArchive
    manifest: str
    """The manifest text (:func:`model.archive.manifest_json`)."""
    archdoc_version: str
    approved_files: tuple[ArchiveFile, ...] = ()
    """The approved version's manifest and model files the pages were compared with, named
    ``approved/<version>/...`` (empty when no version was approved)."""
    approved_version: str | None = None
    approved_sha256: str | None = None


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    relationship: str
    """PDF/A-3 /AFRelationship: 'Source' (what the document was made from) or 'Data' (the manifest)."""
    description: str


def modified_date(document: Any) -> _dt.date:
    """The document's last change: its newest revision or decision (never earlier than its creation)."""
    dates = [document.created, *(r.date for r in document.revisions), *(a.date for a in document.approvals)]
    return max(dates)


def attachments(record: Record) -> list[Attachment]:
    """The embedded files: the manifest first, then the model files, then the approved version's."""
    out = [Attachment(MANIFEST_NAME, record.manifest.encode("utf-8"), "Data",
                      _("モデルの目録（各ファイルのSHA-256、モデル識別子、archdocと文書の版）"))]
    out += [Attachment(f.path, f.data, "Source", _("この文書を生成したモデル")) for f in record.archive.files]
    approved = _("比較した承認済み第{version}版のモデル").format(version=record.approved_version)
    out += [Attachment(f.path, f.data, "Source", approved) for f in record.approved_files]
    return out


def _ids(document: Any, record: Record) -> tuple[str, str]:
    """xmpMM DocumentID (one per document, across versions) and InstanceID (this version of this model)."""
    identity = document.number or document.title
    doc_id = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:archdoc:document:{identity}")
    instance = uuid.uuid5(doc_id, f"{document.version}:{record.archive.digest}")
    return f"uuid:{doc_id}", f"uuid:{instance}"


_PROPERTIES = (
    ("DocumentNumber", "Text", "文書番号 (document number) as the organisation files it"),
    ("Organization", "Text", "The organisation that issues the document"),
    ("DocumentVersion", "Text", "The document version, e.g. 1.0"),
    ("Status", "Text", "Approval status as the organisation words it"),
    ("ModelSHA256", "Text", "SHA-256 of the sha256sum listing of the embedded model files (the model digest)"),
    ("ArchdocVersion", "Text", "The archdoc version that built the document"),
    ("Approved", "Boolean", "True when the document version is approved"),
    ("Approver", "Text", "Who decided on this version"),
    ("ApproverRole", "Text", "The role or post of who decided on this version"),
    ("ApprovalDate", "Date", "When this version was decided on"),
    ("ApprovalDecision", "Text", "approved or returned"),
    ("Approvals", "seq Text", "Every recorded decision: version, date, decision, approver (role)"),
    ("ApprovedBaseline", "Text", "The approved version the document was compared with, and its model digest"),
)


def _extension_schema_items() -> str:
    """The PDF/A extension schema of archdoc's properties: one ``rdf:li`` of ``pdfaExtension:schemas``."""
    props = "".join(
        f'<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name>'
        f"<pdfaProperty:valueType>{kind}</pdfaProperty:valueType><pdfaProperty:category>external"
        f"</pdfaProperty:category><pdfaProperty:description>{escape(text)}</pdfaProperty:description></rdf:li>"
        for name, kind, text in _PROPERTIES)
    return ('<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>archdoc design document record</pdfaSchema:schema>'
            f"<pdfaSchema:namespaceURI>{XMP_NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>archdoc"
            f"</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>{props}</rdf:Seq></pdfaSchema:property></rdf:li>")


_EXTENSION_NS = ('xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
                 'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
                 'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"')


def xmp_descriptions(document: Any, record: Record) -> str:
    """The rdf:Description elements archdoc adds to the XMP packet (XML text, escaped)."""
    doc_id, instance = _ids(document, record)
    values: list[tuple[str, str]] = []
    if document.number:
        values.append(("DocumentNumber", document.number))
    if document.organization:
        values.append(("Organization", document.organization))
    values += [("DocumentVersion", document.version), ("Status", document.status),
               ("ModelSHA256", record.archive.digest), ("ArchdocVersion", record.archdoc_version),
               ("Approved", "True" if document.approval is not None else "False")]
    decided = document.decision_of(document.version)
    if decided is not None:
        values += [("Approver", decided.approver), ("ApproverRole", decided.role),
                   ("ApprovalDate", decided.date.isoformat()), ("ApprovalDecision", decided.decision)]
    if record.approved_version is not None:
        values.append(("ApprovedBaseline", f"{record.approved_version} {record.approved_sha256}"))
    simple = "".join(f"<archdoc:{k}>{escape(v)}</archdoc:{k}>" for k, v in values)
    approvals = "".join(f"<rdf:li>{escape(f'{a.version} {a.date.isoformat()} {a.decision} {a.who}')}</rdf:li>"
                        for a in document.approvals)
    if approvals:
        simple += f"<archdoc:Approvals><rdf:Seq>{approvals}</rdf:Seq></archdoc:Approvals>"
    mm = ('<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">'
          f"<xmpMM:DocumentID>{doc_id}</xmpMM:DocumentID><xmpMM:InstanceID>{instance}</xmpMM:InstanceID>"
          f"<xmpMM:VersionID>{escape(document.version)}</xmpMM:VersionID></rdf:Description>")
    own = f'<rdf:Description rdf:about="" xmlns:archdoc="{XMP_NS}">{simple}</rdf:Description>'
    return mm + own


_OWN_IDS = re.compile(rb"\s*<xmpMM:(?:DocumentID|InstanceID|VersionID)>[^<]*</xmpMM:(?:DocumentID|InstanceID|VersionID)>")
_CREATOR = re.compile(rb"<xmp:CreatorTool>[^<]*</xmp:CreatorTool>")
_SCHEMAS = b"<pdfaExtension:schemas>"


def merge_xmp(packet: bytes, descriptions: str, creator: str) -> bytes:
    """``packet`` (the XMP Typst wrote) with archdoc's properties (``descriptions``:
    :func:`xmp_descriptions` of the document and its record): the ``archdoc`` record fields
    and their extension schema (added to the packet's own ``pdfaExtension:schemas`` bag, since
    a property may appear only once), ``xmpMM`` ids derived from the document and the model
    (replacing the writer's), and ``creator`` as the creator tool (the PDF's /Creator must
    say the same)."""
    end = packet.rfind(b"</rdf:RDF>")
    if end < 0:
        raise ValueError("the XMP packet has no rdf:RDF element")
    head, tail = _OWN_IDS.sub(b"", packet[:end]), packet[end:]
    head = _CREATOR.sub(f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>".encode("utf-8"), head)
    items = _extension_schema_items().encode("utf-8")
    at = head.find(_SCHEMAS)
    bag = head.find(b"<rdf:Bag>", at)
    if at >= 0 and bag >= 0:
        head = head[:bag + len(b"<rdf:Bag>")] + items + head[bag + len(b"<rdf:Bag>"):]
    else:
        head += (f'<rdf:Description rdf:about="" {_EXTENSION_NS}><pdfaExtension:schemas><rdf:Bag>'.encode("utf-8")
                 + items + b"</rdf:Bag></pdfaExtension:schemas></rdf:Description>")
    return head + descriptions.encode("utf-8") + tail
