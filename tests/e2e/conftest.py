"""Headless Chromium for the end-to-end flow (the launch of tests/browser/conftest.py).

Each user gets their own browser context (own cookies) from `open_page`; a failing test
leaves a full-page screenshot of every page it opened in test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.chromium import launched, plain_http_cookies, screenshot_on_failure


@pytest.fixture
def open_page(request) -> Iterator[Callable[[str], object]]:
    """A new page in a fresh context per user; request it after the data fixtures.

    Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    while it is open, so everything the test needs from the database is prepared first.
    """
    opened: dict[str, object] = {}
    with launched() as browser:

        def new_page(who: str):
            context = browser.new_context(
                viewport={"width": 1280, "height": 900},
                locale="th-TH",
                timezone_id="Asia/Bangkok",
                accept_downloads=True,
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            opened[who] = page
            return page

        try:
            yield new_page
        finally:
            screenshot_on_failure(request, opened)


__all__ = ["plain_http_cookies"]  # an autouse fixture for these tests
