"""The built site in a real browser (headless Chromium): images, console, network, search.

What a reviewer on the city's closed intranet gets: every diagram loads, the page
scripts raise no errors, nothing is requested from another origin (no web fonts, no
CDN), and the Japanese search finds the security group page. A screenshot of the home
page is saved to ``test-artifacts/home.png`` for a human to look at.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archdoc.build import MANIFEST, build
from browser import needs_chromium, serve, site_pages, start_driver, wait

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The bundled model built into a temporary folder and served on 127.0.0.1 (random port)."""
    root = tmp_path_factory.mktemp("browser")
    docs, out = root / "docs", root / "site"
    if (REPO / "docs" / "diagrams").is_dir():  # reuse rendered diagrams: only speed, same result
        shutil.copytree(REPO / "docs" / "diagrams", docs / "diagrams")
        shutil.copy2(REPO / "docs" / MANIFEST, docs / MANIFEST)  # they are archdoc's: it may replace them
    lines: list[str] = []
    assert build(None, site_dir=out, docs_dir=docs, progress=lines.append) == 0, "\n".join(lines)
    with serve(out) as origin:
        yield origin, out


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    drv = start_driver(tmp_path_factory.mktemp("chromium-profile"))
    yield drv
    drv.quit()


def _images(drv) -> list[list]:
    script = "return Array.from(document.images).map(i => [i.currentSrc || i.src, i.complete, i.naturalWidth]);"
    wait(lambda: all(done for _, done, _ in drv.execute_script(script)))
    return drv.execute_script(script)


def test_pages_images_console_and_network(site, driver):
    origin, out = site
    pages = site_pages(out)
    assert len(pages) >= 14
    driver.get_log("browser"), driver.get_log("performance")  # start clean
    seen_svg = 0
    for page in pages:
        url = f"{origin}/" if page == "." else f"{origin}/{page}/"
        driver.get(url)
        for src, done, width in _images(driver):
            assert done and width > 0, f"image not loaded on {url}: {src}"
            seen_svg += src.endswith(".svg")
    assert seen_svg >= 9, "every view's SVG is shown (environment pages and the diagram list)"
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            params = message["params"]
            requests.append((params["request"]["url"], params.get("documentURL", "")))
    ours = [url for url, doc in requests if doc.startswith(origin + "/")]
    assert len(ours) > len(pages), "the performance log records the site's requests"
    local = (origin + "/", "data:", "blob:")
    # Chromium's own UI pages (chrome://) are not the site; any other request must be local.
    foreign = [url for url, doc in requests
               if (doc.startswith(origin + "/") or url.startswith(("http:", "https:", "ws:", "wss:")))
               and not url.startswith(local)]
    assert not foreign, foreign


def test_search_finds_a_japanese_word(site, driver):
    from selenium.webdriver.common.by import By

    origin, _ = site
    driver.get(f"{origin}/")
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not box.is_displayed():  # narrow layouts hide the box behind the header's search button
        driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
        wait(lambda: box.is_displayed())
    box.click()
    box.send_keys("セキュリティグループ")
    links = wait(lambda: [a.get_attribute("href") for a in
                           driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")], timeout=15)
    assert any("/04-security-groups/" in (h or "") for h in links), links


def test_home_screenshot_and_zoom(site, driver):
    from selenium.webdriver.common.by import By

    origin, _ = site
    driver.get(f"{origin}/")
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "home.png"))
    driver.get(f"{origin}/01-poc/")
    driver.find_element(By.CSS_SELECTOR, "img.archdoc-diagram").click()
    overlay = wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".archdoc-zoom img"))
    assert overlay and overlay[0].get_attribute("src").endswith("/diagrams/poc-overview.svg")
    driver.save_screenshot(str(ARTIFACTS / "zoom.png"))
    overlay[0].click()
    assert wait(lambda: not driver.find_elements(By.CSS_SELECTOR, ".archdoc-zoom"))
