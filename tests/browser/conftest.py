"""Headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a live server.

Skipped when Playwright or Chromium is missing (scripts/setup.sh installs both). A failing
test leaves a full-page screenshot in test-artifacts/ for whoever reads the CI log.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def browser() -> Iterator[object]:
    """One Chromium per test, started after the test's data is in place.

    Playwright's sync API runs an event loop in this thread while it is open. Django then
    refuses ORM calls here, and its connection handler would hand out another connection
    (one that cannot restore the migrated data between transactional tests). So tests ask
    for their data fixtures before `page`, and the browser never outlives a test.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    """The live server speaks plain HTTP; secure-only cookies would never come back."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def _page(browser, request, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request):
    yield from _page(browser, request, 1280)


@pytest.fixture
def phone(browser, request):
    yield from _page(browser, request, 390)
