"""The verdict of an indicator changed in a real browser, from the report's own link."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from plans.roles import Role
from tests.browser.test_pages import log_in
from tests.documents.conftest import user_with_role
from tests.factories import khlong_hin_pun_2568

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAINTAIN = "รักษาระดับ"


@pytest.fixture
def organisation():
    return khlong_hin_pun_2568().organisation


@pytest.fixture
def head(organisation):
    return user_with_role(organisation, Role.SUPERVISOR, "head")


def test_verdict_set_to_maintain_from_the_report_link_prints_on_the_report(
    organisation, head, live_server, page
):
    log_in(page, live_server, "head")
    page.goto(live_server.url + reverse("documents:report", args=[organisation.pk, 2568]))
    row = page.locator("td.verdict").nth(3)  # indicator 4 (one cell per indicator)
    assert not row.inner_text().startswith(MAINTAIN)

    with page.expect_navigation():
        page.click("text=แก้ไขข้อความวิเคราะห์")
    section = page.locator("#indicator-4")
    section.locator("input[name=verdict_4][value=maintain]").check()
    if shot := os.environ.get("ITA_SHOTS"):
        section.screenshot(path=f"{shot}/verdict-edit.png")
    with page.expect_navigation():
        page.click("form.narratives-form button[type=submit]")

    assert page.locator("td.verdict").nth(3).inner_text().startswith(MAINTAIN)
    assert "verdict--maintain" in (page.locator("td.verdict").nth(3).get_attribute("class") or "")
