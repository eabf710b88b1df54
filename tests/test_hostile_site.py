"""Model text stays text: a hostile string in every text field, built, then opened in Chromium.

The model is written by many people and the site is served to others, so a title such as
``AWS"><img src=x onerror=...><script>...`` must show as those characters and never run.
The hostile model is generated from the JSON Schema (``tests/hostile.py``): every free-text
field of every object, including optional ones the base model leaves out, gets a string
with quotes, tags, event handlers, ``</title>``, template syntax, ``]]>``, ``-->``,
backticks, pipes, a newline and bidi controls. Both the clean bundled model and the
hostile copy are built; every page of the hostile site must have exactly the clean
site's scripts, no element with an event-handler attribute, no injected element, and the
hostile text must be visible as text (home page heading, page titles, search results).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archdoc.build import MANIFEST, build, gather, load
from browser import needs_chromium, serve, site_pages, start_driver, wait
from hostile import HOSTILE, text_slots, write_hostile_model
from model.loader import DEFAULT_MODEL
from model.schema import Model
from render.escape import plain_text

REPO = Path(__file__).resolve().parent.parent

pytestmark = needs_chromium

PROBE = """
const all = Array.from(document.querySelectorAll('*'));
return {
  scripts: Array.from(document.scripts).map(s => s.src ? new URL(s.src).pathname.split('/').pop()
                                                       : 'inline:' + (s.type || 'js')).sort(),
  handlers: all.filter(e => Array.from(e.attributes).some(a => a.name.toLowerCase().startsWith('on')))
               .map(e => e.outerHTML.slice(0, 120)),
  injected: Array.from(document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript:"]'))
               .map(e => e.outerHTML.slice(0, 120)),
  xss: window.__xss === undefined ? null : window.__xss,
  title: document.title,
  text: document.body ? document.body.textContent : document.documentElement.textContent,
};
"""
VISIBLE = "<script>window.__xss=2</script>"
"""A piece of :data:`HOSTILE` that every page shows as text (the site name is on every page)."""


def _build(model, root: Path, name: str, reuse_diagrams: bool, pdf: bool = False) -> Path:
    docs, site = root / name / "docs", root / name / "site"
    if reuse_diagrams and (REPO / "docs" / "diagrams").is_dir():  # only speed: same DOT, same images
        shutil.copytree(REPO / "docs" / "diagrams", docs / "diagrams")
        shutil.copy2(REPO / "docs" / MANIFEST, docs / MANIFEST)  # they are archdoc's: it may replace them
    lines: list[str] = []
    assert build(model, site_dir=site, docs_dir=docs, progress=lines.append, pdf=pdf) == 0, "\n".join(lines)
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(clean site, hostile site, hostile model folder, filled slots)."""
    root = tmp_path_factory.mktemp("hostile")
    model = root / "model"
    filled = write_hostile_model(DEFAULT_MODEL, model)
    clean = _build(None, root, "clean", reuse_diagrams=True)
    hostile = _build(model, root, "hostile", reuse_diagrams=False, pdf=True)
    return clean, hostile, model, filled


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    drv = start_driver(tmp_path_factory.mktemp("chromium-profile"))
    yield drv
    drv.quit()


def test_every_text_field_of_the_schema_is_attacked(sites):
    *_, filled = sites
    slots = text_slots(Model.model_json_schema())
    assert len(slots) > 50  # the walker found the model's text fields, not an empty schema
    assert slots - filled == set(), "text fields the base model cannot reach"


def _probe(drv, url: str) -> dict:
    drv.get(url)
    wait(lambda: drv.execute_script("return document.readyState") == "complete")
    return drv.execute_script(PROBE)


def test_no_page_gets_an_injected_element_or_script(sites, driver):
    clean, hostile, _, _ = sites
    pages = site_pages(hostile)
    assert len(pages) >= 10
    with serve(clean) as origin:
        expected = _probe(driver, f"{origin}/")
    assert expected["handlers"] == [] and expected["injected"] == [] and expected["xss"] is None
    assert len(expected["scripts"]) >= 2
    with serve(hostile) as origin:
        for page in [*pages, "404.html"]:
            url = f"{origin}/" if page == "." else f"{origin}/{page}" + ("" if page.endswith(".html") else "/")
            got = _probe(driver, url)
            assert got["scripts"] == expected["scripts"], url
            assert got["handlers"] == [] and got["injected"] == [], (url, got["handlers"], got["injected"])
            assert got["xss"] is None, url
            assert VISIBLE in got["text"], f"the hostile text is shown as text on {url}"
            assert "\u202e" not in got["text"], f"bidi controls are removed on {url}"


def test_hostile_text_is_shown_literally_in_headings_and_titles(sites, driver):
    _, hostile, _, _ = sites
    with serve(hostile) as origin:
        driver.get(f"{origin}/")
        heading = driver.execute_script(
            "const h = document.querySelector('article h1');"
            "h.querySelectorAll('a.headerlink').forEach(a => a.remove()); return h.innerText;")
        assert heading == plain_text(HOSTILE)  # the document title, character for character
        env_page = next(p for p in site_pages(hostile) if p.startswith("01-"))
        got = _probe(driver, f"{origin}/{env_page}/")
        assert got["title"].startswith("1. " + plain_text(HOSTILE).split("\n")[0]), got["title"]
        assert "</title><script>" in got["title"]


def test_search_results_show_the_text_without_running_it(sites, driver):
    from selenium.webdriver.common.by import By

    _, hostile, _, _ = sites
    with serve(hostile) as origin:
        driver.get(f"{origin}/")
        box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
        if not box.is_displayed():
            driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
            wait(lambda: box.is_displayed())
        box.click()
        box.send_keys("onerror")
        results = wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item"), timeout=15)
        assert results, "the hostile text is indexed and found"
        got = driver.execute_script(PROBE)
        assert got["handlers"] == [] and got["injected"] == [] and got["xss"] is None


def test_diagram_svgs_opened_directly_hold_text_only(sites, driver):
    _, hostile, _, _ = sites
    svgs = sorted((hostile / "diagrams").glob("*.svg"))
    assert len(svgs) >= 9
    with serve(hostile) as origin:
        for svg in svgs:
            got = _probe(driver, f"{origin}/diagrams/{svg.name}")
            assert got["scripts"] == [] and got["handlers"] == [] and got["injected"] == [], svg.name
            assert got["xss"] is None and '<img src=x onerror="window.__xss=1">' in got["text"], svg.name


def test_print_source_shows_every_text_and_runs_none(sites):
    """The approval PDF (Typst): the hostile text is printed as written, nothing of it ran as
    markup or code (a '#' would start code, '*' emphasis, '[x](...)' stays text)."""
    import subprocess

    _, hostile, _, _ = sites
    pdfs = sorted(hostile.rglob("*.pdf"))
    assert len(pdfs) == 1
    text = " ".join(subprocess.run(["pdftotext", str(pdfs[0]), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    for piece in ("{{ 7*7 }} {% raw %} ]]> --> `tick` | cell | <!-- c", "*b* _i_ #h",
                  "[x](javascript:alert(1))", VISIBLE):
        assert piece in text, piece
