"""Shared helpers of the headless-Chromium tests: serve a built site, start the driver, wait.

Used by ``test_browser.py`` (the bundled site works offline) and ``test_hostile_site.py``
(model text cannot become markup). Needs Debian's ``chromium`` and ``chromium-driver``;
:data:`needs_chromium` skips a module without them.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

__all__ = ["CHROMIUM", "CHROMEDRIVER", "needs_chromium", "serve", "start_driver", "wait", "site_pages"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists() or not CHROMEDRIVER.exists(),
                                    reason="needs Debian chromium and chromium-driver (/usr/bin/chromium)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a random port); yields the origin ``http://127.0.0.1:PORT``."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def start_driver(profile: Path):
    """A headless Chromium WebDriver with browser and performance logs, profile in ``profile``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    drv.set_page_load_timeout(30)
    return drv


def wait(predicate: Callable[[], object], timeout: float = 10.0, step: float = 0.1):
    """Poll ``predicate`` until it is truthy or ``timeout`` seconds passed; its last value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def site_pages(site: Path) -> list[str]:
    """The site's page folders ('.' for the home page), without assets and diagrams."""
    return sorted(p.parent.relative_to(site).as_posix() for p in site.glob("**/index.html")
                  if not p.relative_to(site).as_posix().startswith(("assets/", "diagrams/")))
