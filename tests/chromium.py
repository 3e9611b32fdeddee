"""Debian's Chromium driven by Playwright: the launch shared by tests/browser and tests/e2e.

Not a test module. `launched()` skips the test when Playwright or Chromium is missing
(scripts/setup.sh installs both); `screenshot_on_failure` leaves full-page screenshots in
test-artifacts/ for whoever reads the CI log.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@contextmanager
def launched() -> Iterator[object]:
    """One headless Chromium, closed afterwards.

    Playwright's sync API runs an event loop in this thread while it is open. Django then
    refuses ORM calls here (and would hand out another connection, one that cannot restore
    the migrated data between transactional tests), so tests prepare their data first and
    the browser never outlives a test.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_on_failure(request: pytest.FixtureRequest, pages: dict[str, object]) -> None:
    """Full-page screenshots of the open `pages` (name -> page) when the test failed."""
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    for suffix, page in pages.items():
        if not page.is_closed():  # type: ignore[attr-defined]
            name = f"{request.node.name}{'-' + suffix if suffix else ''}.png"
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    """The live server speaks plain HTTP; secure-only cookies would never come back.
    (Imported by the browser conftests, where it applies to every test.)"""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
