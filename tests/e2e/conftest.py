"""Headless Chromium for the end-to-end flow (the launch of tests/browser/conftest.py).

Each user gets their own browser context (own cookies) from `open_page`; a failing test
leaves a full-page screenshot of every page it opened in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
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


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    """The live server speaks plain HTTP; secure-only cookies would never come back."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def open_page(request) -> Iterator[Callable[[str], object]]:
    """A new page in a fresh context per user; request it after the data fixtures.

    Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    while it is open, so everything the test needs from the database is prepared first.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    opened: list[tuple[str, object]] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def new_page(who: str):
            context = browser.new_context(
                viewport={"width": 1280, "height": 900},
                locale="th-TH",
                timezone_id="Asia/Bangkok",
                accept_downloads=True,
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            opened.append((who, page))
            return page

        try:
            yield new_page
        finally:
            report = getattr(request.node, "rep_call", None)
            if report is not None and report.failed:
                ARTIFACTS.mkdir(exist_ok=True)
                for who, page in opened:
                    if not page.is_closed():
                        path = ARTIFACTS / f"{request.node.name}-{who}.png"
                        page.screenshot(path=str(path), full_page=True)
            browser.close()
