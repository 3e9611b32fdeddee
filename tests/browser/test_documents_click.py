"""From login to the plan for the council as PDF in a real browser, by clicks only."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.enums import DocumentKind
from documents.models import StoredDocument
from plans.demo import DEMO_PASSWORD
from tests.browser.conftest import browser, page  # noqa: F401
from tests.chromium import plain_http_cookies  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ORGANISATION = "องค์การบริหารส่วนตำบลคลองหินปูน"


@pytest.fixture
def demo():
    # Committed (transactional test): each approval stores its plan PDF on commit.
    call_command("load_demo", "--no-peers", "--i-know-this-is-not-production", verbosity=0)
    # Read before the browser starts: the ORM refuses to run inside Playwright's event loop.
    return set(
        StoredDocument.objects.filter(kind=DocumentKind.PLAN).values_list("sha256", flat=True)
    )


def test_supervisor_reaches_the_council_pdf_in_three_clicks(demo, live_server, page, tmp_path):  # noqa: F811
    clicks = 0
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "demo-executive")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked-form button[type=submit]")
    clicks += 1

    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="เอกสาร").click()
    clicks += 1
    page.wait_for_url("**/documents/")
    section = page.locator("section", has=page.get_by_role("heading", name="แผนเสนอสภา"))
    page.screenshot(path=str(tmp_path / "documents.png"), full_page=True)
    with page.expect_download() as download_info:
        section.get_by_role("link", name="PDF", exact=True).first.click()
    clicks += 1

    download = download_info.value
    download.save_as(tmp_path / "plan.pdf")
    pdf = (tmp_path / "plan.pdf").read_bytes()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert clicks <= 3
    assert download.suggested_filename.endswith(".pdf")
    assert ORGANISATION in download.suggested_filename
    assert pdf.startswith(b"%PDF")
    assert ORGANISATION in text and "กองคลัง" in text
    # What the browser got is the copy stored when the plan was approved.
    assert hashlib.sha256(pdf).hexdigest() in demo
