"""A visitor with no account opens the demo organisation's public page and year page."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from public.demo import DEMO_SLUG
from tests.browser.conftest import browser, page  # noqa: F401
from tests.chromium import plain_http_cookies  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo():
    call_command("load_demo", "--no-peers", "--i-know-this-is-not-production", verbosity=0)
    call_command("publish_demo", verbosity=0)


def test_public_page_visitor_sees_results_and_plan_progress(demo, live_server, page):  # noqa: F811
    response = page.goto(f"{live_server.url}/public/{DEMO_SLUG}/")
    assert "set-cookie" not in response.all_headers()
    assert page.locator("h1").count() == 1
    assert "คลองหินปูน" in page.locator("h1").inner_text()
    assert page.get_by_text("ผลการประเมิน ITA ปีงบประมาณ 2568").count() == 1
    assert page.get_by_text("แผนยกระดับที่อนุมัติแล้ว").count() >= 1
    assert page.locator("svg").count() >= 1
    page.get_by_role("link", name="ปีงบประมาณ 2568").click()
    page.wait_for_url(f"**/public/{DEMO_SLUG}/2568/")
    assert "ความคืบหน้า (%)" in page.content()
