"""Headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a live server.

Skipped when Playwright or Chromium is missing (scripts/setup.sh installs both). A failing
test leaves a full-page screenshot in test-artifacts/ for whoever reads the CI log.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chromium import launched, plain_http_cookies, screenshot_on_failure


@pytest.fixture
def browser() -> Iterator[object]:
    """One Chromium per test, started after the test's data is in place (ask for the data
    fixtures before `page`)."""
    with launched() as chromium:
        yield chromium


def _page(browser, request, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    page = context.new_page()
    yield page
    screenshot_on_failure(request, {"": page})
    context.close()


@pytest.fixture
def page(browser, request):
    yield from _page(browser, request, 1280)


@pytest.fixture
def phone(browser, request):
    yield from _page(browser, request, 390)


__all__ = ["plain_http_cookies"]  # an autouse fixture for these tests
