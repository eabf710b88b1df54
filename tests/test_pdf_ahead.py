"""Work ahead of the PDF's job: fed steps, idle work, Typst sessions, pages handed over as gathered.

The PDF worker takes each page as it is rendered and lays out what it has while the model is
still being analysed (:mod:`archdoc.pdf_ahead`). That may only save time: the PDF must be
byte for byte the one written without it, whatever was laid out ahead (or failed to be).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import archdoc.pdf_ahead as ahead
from archdoc.build import gather
from archdoc.outputs import write_pdf_job
from archdoc.side_by_side import WorkerFailure, Worker
from conftest import REPO
from model.i18n import language
from model.loader import load_model
from render.print.from_model import print_cover
from render.print.document import print_source
from render.print.html import PRINT_SKIP
from render.print.pdf import TypstSession, compile_pdf


@pytest.fixture
def steps(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "steps.txt"
    monkeypatch.setenv("ARCHDOC_TEST_STEPS", str(path))
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


def _until(condition, seconds: float = 20.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "the worker did not get there"
        time.sleep(0.01)


def test_fed_steps_run_in_order_then_the_idle_work_then_the_job(steps):
    worker = Worker.start(("worker_steps",), idle="worker_steps:idle")
    worker.feed("worker_steps:note", ("first",))
    worker.feed("worker_steps:note", ("second",))
    _until(lambda: "idle" in _lines(steps))
    worker.send("worker_steps:note", ("job",))
    worker.wait()
    lines = _lines(steps)
    assert [w for w in lines if w != "idle"] == ["first", "second", "job"]
    assert lines[-2:] == ["idle", "job"] and lines.count("idle") <= 2 and lines[0] == "first"


def test_no_idle_work_before_the_first_step_nor_twice_without_a_step_between(steps):
    worker = Worker.start(("worker_steps",), idle="worker_steps:idle")
    worker.feed("worker_steps:note", ("only",))
    _until(lambda: "idle" in _lines(steps))
    time.sleep(0.2)  # nothing more is fed: the worker waits, it does not idle again
    worker.send("worker_steps:note", ("job",))
    worker.wait()
    assert _lines(steps) == ["only", "idle", "job"]


def test_idle_work_with_more_to_do_is_called_again_until_it_says_it_is_done(steps):
    worker = Worker.start(("worker_steps",), idle="worker_steps:idle_thrice")
    worker.feed("worker_steps:note", ("only",))
    _until(lambda: "idle3" in _lines(steps))
    time.sleep(0.2)  # it said it was done: the worker waits for a message
    worker.send("worker_steps:note", ("job",))
    worker.wait()
    assert _lines(steps) == ["only", "idle1", "idle2", "idle3", "job"]


def test_a_session_writes_again_when_anything_typst_reads_changed(city, tmp_path):
    """:meth:`TypstSession.compile` keeps its last PDF for the same source, images and attachments
    byte for byte: one byte more in one image, or another standard, and Typst writes again."""
    loaded, pages, docs = city
    own = tmp_path / "docs"
    shutil.copytree(docs, own)
    first = {"01-poc.md": pages["01-poc.md"]}
    with language(loaded.model.document.language):
        source = print_source(first, own, loaded.model.document, list(first))
    with TypstSession() as session:
        pdf = session.compile(source, own)
        counted = session._compiler = _Counted(session._compiler)
        assert session.compile(source, own) is pdf and counted.written == 0
        image = Path(unquote(urlparse(sorted(source.images.values())[0]).path))
        image.write_bytes(image.read_bytes() + b"\n")
        again = session.compile(source, own)
        assert counted.written == 1 and session.compile(source, own) is again
        session.compile(source, own, standard=None)
        assert counted.written == 2


def test_a_failing_step_is_the_workers_failure_and_the_job_never_runs(steps):
    worker = Worker.start(("worker_steps",))
    worker.feed("worker_steps:fail", ("a step broke",))
    worker.feed("worker_steps:note", ("after",))
    worker.send("worker_steps:note", ("job",))
    with pytest.raises(WorkerFailure, match="^RuntimeError: a step broke$"):
        worker.wait()
    assert _lines(steps) == []


def test_a_worker_fed_but_given_no_job_is_killed_at_once(steps):
    worker = Worker.start(("worker_steps",))
    for i in range(200):  # more than a pipe holds at once: the feeding thread is still writing
        worker.feed("worker_steps:note", ("x" * 2000 + str(i),))
    worker.kill()  # the feeding thread stops writing to the dead worker: kill returns
    assert worker.status is not None
    worker.feed("worker_steps:note", ("late",))  # a late step is moot, not an error


def test_the_job_can_be_sent_once():
    worker = Worker.start(("json",))
    worker.send("json:dumps", ([],))
    with pytest.raises(RuntimeError, match="^the worker already has its job$"):
        worker.send("json:dumps", ([],))
    worker.wait()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The bundled model's printed pages (in order), and a docs folder with its diagrams."""
    from render.diagrams import build_diagrams

    loaded = load_model()
    docs = tmp_path_factory.mktemp("docs")
    build_diagrams(loaded.model, docs / "diagrams", previous_dir=REPO / "docs" / "diagrams")
    with language(loaded.model.document.language):
        generated = gather(loaded)
    pages = {k: v for k, v in generated.pages.items() if k.endswith(".md")}
    return loaded, pages, docs


def test_the_pdf_alone_gathers_only_the_printed_pages_and_prints_the_same(city):
    """``archdoc pdf`` leaves out the pages the print skips (and the DOT sources): same source."""
    loaded, pages, docs = city
    seen: list[str] = []
    with language(loaded.model.document.language):
        alone = gather(loaded, on_page=lambda rel, text: seen.append(rel), skip=PRINT_SKIP, dots=False)
        printed = {k: v for k, v in alone.pages.items() if k.endswith(".md")}
        assert printed == {k: v for k, v in pages.items() if k not in PRINT_SKIP} and alone.dots == {}
        assert seen == list(printed)  # every page handed on as it was rendered, in order
        document = loaded.model.document
        assert (print_source(printed, docs, document, list(printed)).markup
                == print_source(pages, docs, document, list(pages)).markup)


def test_a_session_that_laid_out_part_of_the_document_writes_the_same_pdf(city):
    loaded, pages, docs = city
    document = loaded.model.document
    with language(document.language):
        first = dict(list(pages.items())[:6])
        part = print_source(first, docs, document, list(first))
        whole = print_source(pages, docs, document, list(pages))
        with TypstSession() as session:
            session.rehearse(part, docs)
            assert sorted(p.relative_to(session.root).as_posix() for p in session.root.rglob("*") if p.is_file()) \
                == sorted(["main.typ", *part.images])
            ahead_pdf = session.compile(whole, docs)
            assert sorted(p.relative_to(session.root).as_posix() for p in session.root.rglob("*") if p.is_file()) \
                == sorted(["main.typ", *whole.images])
            again = session.compile(part, docs)  # what the larger document read is gone again
            assert {p.relative_to(session.root).as_posix() for p in session.root.rglob("*") if p.is_file()} \
                == {"main.typ", *part.images}
        assert ahead_pdf == compile_pdf(whole, docs) and again == compile_pdf(part, docs)


@pytest.fixture
def fresh_ahead(monkeypatch):
    monkeypatch.setattr(ahead, "_AHEAD", ahead._Ahead())
    return ahead


def _begin(fresh, loaded, tmp_path, record=None) -> None:
    """What this process sends first: the scratch folder, then the record and the cover."""
    fresh.begin(str(tmp_path / "scratch"))
    with language(loaded.model.document.language):
        fresh.take_record(record, print_cover(loaded.model.document, record))


def _typst_files(tmp_path) -> list[str]:
    root = tmp_path / "scratch" / "typst"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_pages_laid_out_ahead_give_the_same_pdf_as_a_job_alone(city, tmp_path, fresh_ahead):
    loaded, pages, docs = city
    document = loaded.model.document
    printed = [k for k in pages if k not in PRINT_SKIP]
    alone = tmp_path / "alone.pdf"
    write_pdf_job(pages, docs, alone, document, list(pages))
    fresh_ahead.begin(str(tmp_path / "scratch"))
    fresh_ahead.rehearse()  # no page yet: nothing
    assert fresh_ahead._AHEAD.laid_out is None and _typst_files(tmp_path) == []
    fresh_ahead.take_order(printed)
    for rel in printed[:-1]:
        fresh_ahead.take_page(rel, pages[rel])
    fresh_ahead._AHEAD.images = docs  # the last build's diagrams, while this build's are drawn
    fresh_ahead.rehearse()  # pages and diagrams, but no cover yet: nothing
    assert fresh_ahead._AHEAD.laid_out is None
    with language(document.language):
        fresh_ahead.take_record(None, print_cover(document))
    fresh_ahead.rehearse()  # a planned page is missing (a first build) and Graphviz still runs: nothing
    assert fresh_ahead._AHEAD.laid_out is None
    fresh_ahead.take_images(str(docs))
    assert fresh_ahead.rehearse() is True  # this build's diagrams drawn: the part laid out (an idle processor)
    assert fresh_ahead._AHEAD.laid_out == (tuple((rel, pages[rel]) for rel in printed[:-1]), docs)
    assert fresh_ahead.rehearse() is False and fresh_ahead._AHEAD.written is None  # a part's PDF: not written
    fresh_ahead.take_page(printed[-1], pages[printed[-1]])
    assert fresh_ahead.rehearse() is True  # the whole document laid out: its PDF may be written next
    assert fresh_ahead._AHEAD.laid_out == (tuple((rel, pages[rel]) for rel in printed), docs)
    with language(document.language):
        fresh_ahead.take_record(None, print_cover(document))  # a new cover: that layout is not of it
    assert fresh_ahead._AHEAD.laid_out is None and fresh_ahead._AHEAD.source is None
    assert fresh_ahead.rehearse() is True
    assert fresh_ahead.rehearse() is False and fresh_ahead._AHEAD.written == fresh_ahead._AHEAD.laid_out
    ahead_pdf = tmp_path / "ahead.pdf"
    write_pdf_job(pages, docs, ahead_pdf, document, list(pages))
    assert ahead_pdf.read_bytes() == alone.read_bytes()
    assert not (tmp_path / "scratch" / "typst").exists() and fresh_ahead.rehearsed_session() is None


def _layouts(monkeypatch) -> list[tuple[str, ...]]:
    """The chapters of each document the worker lays out ahead, as they are laid out."""
    done: list[tuple[str, ...]] = []
    real = TypstSession.rehearse

    def count(self, source, docs_dir):
        done.append(tuple(re.findall(r"#heading\(level: 1\)\[([^\]]*)\]", source.markup)))
        return real(self, source, docs_dir)

    monkeypatch.setattr(TypstSession, "rehearse", count)
    return done


def test_the_last_builds_pages_are_laid_out_before_the_new_ones_come(city, tmp_path, fresh_ahead, monkeypatch):
    """The docs folder holds the pages of the last build: the worker reads them (those its manifest
    lists), lays out the document they make once the plan is known, and a page gathered the same
    as before costs no layout; one that differs is laid out again. The PDF is the job's own."""
    loaded, pages, docs = city
    document = loaded.model.document
    printed = [k for k in pages if k not in PRINT_SKIP]
    previous = tmp_path / "docs"
    shutil.copytree(REPO / "docs", previous)
    (previous / "routes.md").write_text(pages["routes.md"].replace("ルート", "経路", 1), encoding="utf-8")
    layouts = _layouts(monkeypatch)
    fresh_ahead.take_previous(str(previous))
    assert sorted(fresh_ahead._AHEAD.previous) == sorted(printed)
    assert fresh_ahead._AHEAD.images == previous  # its diagrams serve until the new ones are drawn
    _begin(fresh_ahead, loaded, tmp_path)
    fresh_ahead.rehearse()  # the order of the previous pages is not known yet: nothing
    fresh_ahead.take_order(printed)
    fresh_ahead.rehearse()
    assert len(layouts) == 1 and len(layouts[0]) == len(printed)
    for rel in printed:
        if rel != "routes.md":
            fresh_ahead.take_page(rel, pages[rel])
            fresh_ahead.rehearse()
    assert len(layouts) == 1  # the same pages as before: nothing more to lay out
    fresh_ahead.take_page("routes.md", pages["routes.md"])
    fresh_ahead.rehearse()  # not the same as before
    assert len(layouts) == 2
    out = tmp_path / "out.pdf"
    write_pdf_job(pages, docs, out, document, list(pages))
    alone = tmp_path / "alone.pdf"
    write_pdf_job(pages, docs, alone, document, list(pages))
    assert out.read_bytes() == alone.read_bytes()


def test_only_regular_files_the_manifest_lists_are_read_as_previous_pages(tmp_path, fresh_ahead):
    import json
    import os

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "01-a.md").write_text("# A\n", encoding="utf-8")
    (docs / "02-b.md").write_text("# B\n", encoding="utf-8")  # hand-written: not listed
    os.mkfifo(docs / "03-c.md")  # would hang a reader
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")  # listed, but never printed
    fresh_ahead.take_previous(str(docs))
    assert fresh_ahead._AHEAD.previous == {} and fresh_ahead._AHEAD.images is None  # no manifest: no guess
    (docs / ".archdoc-generated.json").write_text(json.dumps(
        {"generator": "archdoc build", "files": ["01-a.md", "03-c.md", "index.md"]}), encoding="utf-8")
    fresh_ahead.take_previous(str(docs))
    assert fresh_ahead._AHEAD.previous == {"01-a.md": "# A\n"} and fresh_ahead._AHEAD.images == docs
    (docs / ".archdoc-generated.json").write_text("{not json", encoding="utf-8")
    fresh_ahead._AHEAD.previous.clear()
    fresh_ahead.take_previous(str(docs))
    assert fresh_ahead._AHEAD.previous == {}


def test_a_rehearsal_that_fails_is_dropped_and_the_job_still_prints(city, tmp_path, fresh_ahead):
    """Diagrams still being drawn (here: none at all) fail the rehearsal, never the PDF."""
    loaded, pages, docs = city
    document = loaded.model.document
    _begin(fresh_ahead, loaded, tmp_path)
    fresh_ahead.take_order([rel for rel in pages if rel not in PRINT_SKIP])
    for rel in pages:
        if rel not in PRINT_SKIP:
            fresh_ahead.take_page(rel, pages[rel])
    fresh_ahead.take_images(str(tmp_path / "not-drawn-yet"))
    fresh_ahead.rehearse()  # raises nothing
    out = tmp_path / "out.pdf"
    write_pdf_job(pages, docs, out, document, list(pages))
    alone = tmp_path / "alone.pdf"
    write_pdf_job(pages, docs, alone, document, list(pages))
    assert out.read_bytes() == alone.read_bytes()


def test_once_every_page_is_in_only_the_jobs_own_document_is_laid_out_ahead(city, tmp_path, fresh_ahead):
    """After the last page the job follows at once: a layout it cannot use (this build's
    diagrams are still being drawn) would only delay it."""
    loaded, pages, docs = city
    _begin(fresh_ahead, loaded, tmp_path)
    fresh_ahead.take_previous(str(REPO / "docs"))  # the last build's diagrams, not this build's
    fresh_ahead.take_page("01-poc.md", pages["01-poc.md"])
    fresh_ahead.stop()
    assert fresh_ahead.rehearse() is False
    assert fresh_ahead._AHEAD.laid_out is None and not (tmp_path / "scratch" / "typst" / "main.typ").exists()
    fresh_ahead.rehearsed_session().close()


class _Counted:
    """Stands in for Typst's compiler: counts the PDFs it writes."""

    def __init__(self, real):
        self.real, self.written = real, 0

    def query(self, *args, **kwargs):
        return self.real.query(*args, **kwargs)

    def compile(self, *args, **kwargs):
        self.written += 1
        return self.real.compile(*args, **kwargs)


def test_the_jobs_own_document_is_written_ahead_and_the_job_takes_that_pdf(city, tmp_path, fresh_ahead):
    """Every page in and this build's diagrams drawn: the document is the job's own, so its PDF is
    written ahead when the worker is idle, and the job writes those bytes (the same as alone), from
    the source laid out ahead (made of exactly the job's arguments)."""
    from archdoc.records import pdf_record

    loaded, pages, docs = city
    first = {"01-poc.md": pages["01-poc.md"]}
    document = loaded.model.document
    with language(document.language):
        cover = print_cover(document)
    alone = tmp_path / "alone.pdf"
    write_pdf_job(first, docs, alone, cover, list(first))
    _begin(fresh_ahead, loaded, tmp_path)
    fresh_ahead.take_order(["01-poc.md", "02-prod.md"])
    fresh_ahead.take_page("01-poc.md", pages["01-poc.md"])
    fresh_ahead.take_images(str(docs))
    assert fresh_ahead.rehearse() is True  # a part of the document, this build's diagrams drawn: laid out
    counted = fresh_ahead._AHEAD.session._compiler = _Counted(fresh_ahead._AHEAD.session._compiler)
    assert fresh_ahead.rehearse() is False and counted.written == 0  # a part: its PDF is not written
    assert fresh_ahead._AHEAD.laid_out == ((("01-poc.md", pages["01-poc.md"]),), docs)
    fresh_ahead.take_order(["01-poc.md"])  # (the plan, in this test, is the one page)
    fresh_ahead.stop()
    assert fresh_ahead.rehearse() is False and counted.written == 1  # the job's own document: written ahead
    assert fresh_ahead._AHEAD.written == fresh_ahead._AHEAD.laid_out
    assert fresh_ahead.rehearse() is False and counted.written == 1  # nothing new: nothing more
    laid = fresh_ahead._AHEAD.source
    assert fresh_ahead.rehearsed_source(first, docs, cover, ["01-poc.md"], None) is laid is not None
    assert fresh_ahead.rehearsed_source({**first, "index.md": "# Home\n"}, docs, cover, ["01-poc.md"], None) is None
    assert fresh_ahead.rehearsed_source(first, tmp_path, cover, ["01-poc.md"], None) is None
    assert fresh_ahead.rehearsed_source(first, docs, cover, ["01-poc.md"], pdf_record(loaded, None)) is None
    out = tmp_path / "out.pdf"
    write_pdf_job(first, docs, out, cover, list(first))
    assert counted.written == 1 and out.read_bytes() == alone.read_bytes()


class _Feeds:
    """Stands in for the worker: notes what would be sent to it."""

    def __init__(self):
        self.sent: list[tuple[str, tuple]] = []

    def feed(self, target: str, args: tuple) -> None:
        self.sent.append((target.split(":")[1], args))


def test_a_document_never_approved_hands_over_its_record_and_plan_once_loaded(tmp_path):
    from render.pages import page_paths

    loaded = load_model(REPO / "tests" / "fixtures" / "good" / "mini")
    assert loaded.model.document.last_approved is None
    feeds = _Feeds()
    sent = ahead.PdfAhead(feeds, loaded, tmp_path)
    with language(loaded.model.document.language):
        sent.unapproved()
        assert [name for name, _ in feeds.sent] == ["begin", "take_record", "take_order"]
        assert feeds.sent[2][1] == ([p for p in page_paths(loaded) if p not in PRINT_SKIP],)
        sent.approved(None)  # the gathering's call: already sent
    assert [name for name, _ in feeds.sent] == ["begin", "take_record", "take_order"]


def test_this_process_hands_over_the_printed_pages_the_plan_and_the_record(tmp_path):
    from archdoc.records import pdf_record

    loaded = load_model(REPO / "tests" / "fixtures" / "good" / "mini")
    feeds = _Feeds()
    sent = ahead.PdfAhead(feeds, loaded, tmp_path)
    sent.plan(["index.md", "01-a.md", "schema.md", "assets/extra.css", "sub/02-b.md"])
    sent.approved(None)
    sent.page("index.md", "home")
    sent.page("01-a.md", "A")
    sent.images(tmp_path / "docs")
    sent.gathered()
    assert [name for name, _ in feeds.sent] == ["begin", "take_order", "take_record", "take_page", "take_images",
                                                 "stop"]
    assert feeds.sent[0][1] == (str(tmp_path),)  # nothing of the model: the worker never loads its types
    assert feeds.sent[1][1] == (["01-a.md", "sub/02-b.md"],) and feeds.sent[3][1] == ("01-a.md", "A")
    assert (sent.record, sent.cover) == feeds.sent[2][1] and sent.record.archive == pdf_record(loaded, None).archive
    with language(loaded.model.document.language):
        assert sent.cover == print_cover(loaded.model.document, sent.record)
    idle = ahead.PdfAhead(None, loaded, tmp_path)  # no worker: nothing is computed, nothing sent
    idle.plan(["01-a.md"])
    idle.approved(None)
    idle.page("01-a.md", "A")
    assert idle.record is None and idle.cover is None
    with language(loaded.model.document.language):
        record, cover = idle.carried(None)  # the job's, made now
        assert sent.carried(None) == (sent.record, sent.cover)  # the ones the worker was handed
    assert record.archive == sent.record.archive and cover == sent.cover


def test_the_record_is_laid_out_ahead_too(city, tmp_path, fresh_ahead):
    """What the PDF carries is on the cover and among the document's first objects: laid out
    without it, every chapter after would be laid out again by the job."""
    from archdoc.records import pdf_record
    from render.print.archival import attachments

    loaded, pages, docs = city
    record = pdf_record(loaded, None)
    _begin(fresh_ahead, loaded, tmp_path, record)
    fresh_ahead.take_images(str(docs))
    fresh_ahead.take_order(["01-poc.md"])
    fresh_ahead.take_page("01-poc.md", pages["01-poc.md"])
    fresh_ahead.rehearse()
    count = len(attachments(record))
    files = _typst_files(tmp_path)
    assert count >= 2 and [f for f in files if not f.startswith("img/")] == sorted(
        ["main.typ", *(f"att/{i}" for i in range(count))])
    assert record.archive.digest in (tmp_path / "scratch" / "typst" / "main.typ").read_text(encoding="utf-8")
    fresh_ahead.rehearsed_session().close()


def test_a_worker_started_nicer_yields_the_processor(steps):
    import os

    worker = Worker.start(("worker_steps",), nice=3)
    worker.send("worker_steps:note_niceness", ())
    worker.wait()
    assert _lines(steps) == [f"nice={min(os.nice(0) + 3, 19)}"]


def test_the_pdf_worker_yields_to_mkdocs_beside_it(steps):
    """While MkDocs builds the site beside the PDF's job, the worker runs at the lowest priority."""
    from archdoc.outputs import PDF_NICE_BESIDE_SITE, yield_to_site

    worker = Worker.start(("worker_steps",), nice=3)
    yield_to_site(worker)
    worker.send("worker_steps:note_niceness", ())
    worker.wait()
    assert PDF_NICE_BESIDE_SITE == 19 and _lines(steps) == ["nice=19"]
