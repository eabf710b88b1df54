"""The approval PDF as a record: PDF/A-3a, tagged, carrying its model; check --approved, extract.

A project is made from the small second model (``tests/fixtures/good/mini``) and its PDF
is written once; everything is read back with pypdf (veraPDF is not installable here, so
the PDF/A-3 parts a validator checks first are checked one by one: the XMP
identification, the output intent, associated files with their relationship and media
type, the mark info and the structure tree, embedded fonts, the file identifier).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from archdoc.cli import main
from conftest import MINI, SG_NEW, SG_OLD, cli, edit, mini_project
from model.archive import MANIFEST_NAME, listing



@pytest.fixture(scope="module")
def approved_pdf(tmp_path_factory) -> Path:
    """The mini project's PDF (version 0.1), written by ``archdoc pdf``."""
    import os

    root = mini_project(tmp_path_factory.mktemp("record"))
    out = root / "v0.1.pdf"  # beside the site folder, which the build replaces as a whole
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main(["pdf", "--out", str(out)]) == 0
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="module")
def reader(approved_pdf) -> PdfReader:
    return PdfReader(str(approved_pdf))


def _xmp(reader: PdfReader) -> str:
    return reader.xmp_metadata.stream.get_data().decode("utf-8")


def test_pdfa3a_identification_output_intent_and_ids(reader):
    xmp = _xmp(reader)
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>A</pdfaid:conformance>" in xmp
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputCondition"] == "sRGB"
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # an ICC profile
    assert len(reader.trailer["/ID"]) == 2
    assert root["/Lang"] == "ja"


def test_the_record_is_an_update_appended_to_typsts_file(approved_pdf, tmp_path, monkeypatch):
    """archdoc's metadata is an incremental update: Typst's file is the record's first bytes,
    unchanged, followed by one section (the new XMP and information dictionary, their
    cross-reference section, a trailer pointing back to Typst's); qpdf finds nothing wrong."""
    import pikepdf

    from archdoc.side_by_side import Worker
    from render.print import pdf as printing

    typst_bytes: list[bytes] = []
    real = printing.add_record

    def keep(pdf, document, record):
        typst_bytes.append(pdf)
        return real(pdf, document, record)

    monkeypatch.setattr(printing, "add_record", keep)
    monkeypatch.setattr(Worker, "start", classmethod(lambda cls, *args, **kwargs: None))  # in this process
    root = approved_pdf.parent
    monkeypatch.chdir(root)
    assert main(["pdf", "--out", str(tmp_path / "again.pdf")]) == 0
    record = (tmp_path / "again.pdf").read_bytes()
    assert record == approved_pdf.read_bytes()  # the same document gives the same bytes
    original, = typst_bytes
    assert record.startswith(original) and original.count(b"startxref") == 1
    added = record[len(original):]
    assert added.count(b" obj\n") == 2 and added.count(b"xref\n0 1\n0000000000 65535 f \n") == 1
    prev = int(re.search(rb"/Prev (\d+) >>", added).group(1))
    assert original[prev:prev + 4] == b"xref"
    with pikepdf.open(approved_pdf) as doc:
        assert doc.check_pdf_syntax() == [] and str(doc.docinfo["/Creator"]).startswith("archdoc ")
        assert b"archdoc:" in doc.Root.Metadata.read_bytes() and b"archdoc:" not in original
        with pikepdf.open(io.BytesIO(original)) as before:
            assert bytes(doc.trailer.ID[0]) == bytes(before.trailer.ID[0])  # the permanent identifier stays


def test_tagged_structure_with_diagram_alt_text(reader):
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    kinds: dict[str, int] = {}
    alts: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            kind = node.get("/S")
            if kind:
                kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "/Figure":
                alts.append(node.get("/Alt"))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/Caption", "/L", "/Link"} <= set(kinds)
    # the one view of the mini model: its title from the model (its description follows as text)
    assert alts == ["全体構成図"]


def test_fonts_are_embedded(reader):
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), descriptor["/FontName"]
                fonts.add(descriptor["/FontName"].split("+")[-1])
    assert {"NotoSansCJKjp-Regular", "NotoSansCJKjp-Bold"} <= fonts, fonts


def test_xmp_record_fields_and_info(reader):
    xmp = _xmp(reader)
    for field, value in (("DocumentVersion", "0.1"), ("Status", "ドラフト"), ("Approved", "False")):
        assert f"<archdoc:{field}>{value}</archdoc:{field}>" in xmp
    assert re.search(r"<archdoc:ModelSHA256>[0-9a-f]{64}</archdoc:ModelSHA256>", xmp)
    assert "<pdfaSchema:namespaceURI>urn:archdoc:xmp:record:1#</pdfaSchema:namespaceURI>" in xmp
    declared = set(re.findall(r"<pdfaProperty:name>(\w+)</pdfaProperty:name>", xmp))
    used = set(re.findall(r"<archdoc:(\w+)>", xmp))
    assert used <= declared  # a PDF/A validator needs every custom property described
    assert "<xmpMM:VersionID>0.1</xmpMM:VersionID>" in xmp and "<xmpMM:DocumentID>uuid:" in xmp
    info = reader.metadata
    assert (info["/Title"], info["/Author"], info["/Subject"]) == ("ミニ構成 システム構成書", "テスト担当",
                                                                  "ミニ構成 システム構成書 第0.1版（ドラフト）")
    assert info["/CreationDate"] == "D:20240401000000Z" and info["/Creator"].startswith("archdoc ")


def test_the_model_travels_with_the_document(reader):
    files = {name: data[0] for name, data in reader.attachments.items()}
    model = {f"model/{p.name}": p.read_bytes() for p in sorted(MINI.glob("*.yaml"))}
    assert {k: v for k, v in files.items() if k != MANIFEST_NAME} == model  # exactly as built
    manifest = json.loads(files[MANIFEST_NAME])
    assert manifest["model"] == "model" and manifest["document"] == {"title": "ミニ構成 システム構成書",
                                                                   "version": "0.1", "status": "ドラフト"}
    assert manifest["files"] == [{"path": k, "sha256": hashlib.sha256(v).hexdigest(), "bytes": len(v)}
                                 for k, v in sorted(model.items())]
    digest = hashlib.sha256("".join(f"{hashlib.sha256(v).hexdigest()}  {k}\n"
                                    for k, v in sorted(model.items())).encode()).hexdigest()
    assert manifest["model_sha256"] == digest
    specs = [s.get_object() for s in reader.trailer["/Root"]["/AF"]]
    relations = {s["/UF"]: (s["/AFRelationship"], s["/EF"]["/F"].get_object()["/Subtype"]) for s in specs}
    assert relations == {MANIFEST_NAME: ("/Data", "/application/json"),
                         **{k: ("/Source", "/application/yaml") for k in model}}


def test_cover_names_the_model_digest(reader):
    manifest = json.loads(reader.attachments[MANIFEST_NAME][0])
    cover = reader.pages[0].extract_text()
    assert "モデル識別子" in cover and manifest["model_sha256"] in cover.replace("\n", "")


def test_check_approved_same_then_one_sg_rule_changed(approved_pdf, tmp_path, capsys, monkeypatch):
    root = mini_project(tmp_path / "now")
    code, out, err = cli(capsys, monkeypatch, root, "check", "--approved", str(approved_pdf))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"OK: the current model is the model of {approved_pdf} (version 0.1)"
    edit(root / "model" / "20-filtering.yaml", SG_OLD, SG_NEW)
    code, out, err = cli(capsys, monkeypatch, root, "check", "--approved", str(approved_pdf))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert "  ~ security_groups db-sg: rules  (model/20-filtering.yaml:19)" in lines
    for env in ("stg", "live"):
        assert f"環境 {env}:" in lines
    assert lines.count("    - sg-rule db-sg inbound tcp/5432 sg:app-sg: アプリからのDB接続") == 2
    assert lines.count("    + sg-rule db-sg inbound tcp/5433 sg:app-sg: アプリからのDB接続") == 2
    assert lines[-1] == (f"FAIL: the current model differs from the model of {approved_pdf} (version 0.1) "
                         "in 1 item(s)")
    code, out, _ = cli(capsys, monkeypatch, root, "check", "--approved", str(approved_pdf), "--json")
    data = json.loads(out)
    assert (code, data["same"], data["items"]) == (1, False, [{"section": "security_groups", "key": "db-sg",
                                                                "change": "changed", "fields": ["rules"]}])


def test_comment_only_edit_is_the_same_model(approved_pdf, tmp_path, capsys, monkeypatch):
    root = mini_project(tmp_path / "now")
    path = root / "model" / "20-filtering.yaml"
    path.write_text("# a reviewer's note\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = cli(capsys, monkeypatch, root, "check", "--approved", str(approved_pdf))
    assert code == 0
    assert out.splitlines()[-1].endswith("(version 0.1) (same content; the files differ only in comments or layout)")


def _generated(docs: Path) -> dict[str, bytes]:
    names = json.loads((docs / ".archdoc-generated.json").read_text(encoding="utf-8"))["files"]
    return {name: (docs / name).read_bytes() for name in names}


def test_extract_then_build_gives_byte_identical_docs(approved_pdf, tmp_path, capsys, monkeypatch):
    original = approved_pdf.parent
    code, _, err = cli(capsys, monkeypatch, original, "build", "--no-pdf")
    assert (code, err) == (0, "")
    code, out, err = cli(capsys, monkeypatch, tmp_path, "extract", str(approved_pdf), "copy")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "wrote copy: 7 files (5 model files, manifest, archdoc.toml)"
    code, _, err = cli(capsys, monkeypatch, tmp_path / "copy", "build", "--no-pdf")
    assert (code, err) == (0, "")
    rebuilt, before = _generated(tmp_path / "copy" / "docs"), _generated(original / "docs")
    assert len(before) > 10 and rebuilt == before


def test_extract_refuses(approved_pdf, tmp_path, capsys, monkeypatch):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    code, out, err = cli(capsys, monkeypatch, tmp_path, "extract", str(approved_pdf), "full")
    assert (code, out, err) == (2, "", "archdoc extract: full exists and is not an empty folder; give a new folder\n")
    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(str(plain))
    code, _, err = cli(capsys, monkeypatch, tmp_path, "extract", str(plain), "out")
    assert (code, err) == (2, f"archdoc extract: {plain} carries no archdoc model (no {MANIFEST_NAME} attached); "
                              "was it written by 'archdoc build' or 'archdoc pdf'?\n")
    code, _, err = cli(capsys, monkeypatch, tmp_path, "extract", str(tmp_path / "full" / "x"), "out")
    assert code == 2 and err.startswith(f"archdoc extract: {tmp_path / 'full' / 'x'} is not a readable PDF: ")
    assert not (tmp_path / "out").exists()


def test_a_tampered_model_file_is_refused(reader, tmp_path, capsys, monkeypatch):
    files = {name: data[0] for name, data in reader.attachments.items()}
    files["model/20-filtering.yaml"] = files["model/20-filtering.yaml"].replace(b"5432", b"5433")
    forged = tmp_path / "forged.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    for name, data in files.items():
        writer.add_attachment(name, data)
    writer.write(str(forged))
    code, _, err = cli(capsys, monkeypatch, tmp_path, "check", "--approved", str(forged), "--model", str(MINI))
    assert code == 2
    assert err.startswith(f"archdoc check: {forged}: the embedded model does not match its manifest: "
                          "model/20-filtering.yaml: content differs from the manifest (SHA-256 ")


def test_manifest_paths_must_be_safe(reader, tmp_path, capsys, monkeypatch):
    manifest = json.loads(reader.attachments[MANIFEST_NAME][0])
    manifest["files"][0]["path"] = "../evil.yaml"
    forged = tmp_path / "forged.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_attachment(MANIFEST_NAME, json.dumps(manifest).encode())
    writer.write(str(forged))
    code, _, err = cli(capsys, monkeypatch, tmp_path, "extract", str(forged), "out")
    assert (code, err) == (2, f"archdoc extract: {forged}: {MANIFEST_NAME}: manifest.files[0].path is not a safe "
                              "relative path: '../evil.yaml'\n")
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.yaml").exists()


def test_listing_is_sha256sum_format():
    from model.archive import ArchiveFile

    assert listing([ArchiveFile("b", b"x"), ArchiveFile("a", b"")]) == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a\n"
        "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  b\n")
