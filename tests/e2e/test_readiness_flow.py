"""The OIT readiness path in a real browser: a division clerk updates an OIT item from the
my-work page, the supervisor's board (reached from the main menu) shows it, and the
checklist PDF downloaded from the board lists every item of the year."""

from __future__ import annotations

from datetime import date

import pytest

from ita.demo import demo_load
from ita.models import Item
from ita.thai import thai_digits
from plans.demo import demo_users_ensure, divisions_ensure
from plans.readiness import services
from tests.documents.test_pdf_text import poppler, words
from tests.e2e.conftest import open_page  # noqa: F401
from tests.e2e.test_flow import log_in, submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EVIDENCE = "https://khlonghinpun.go.th/oit/o4-budget"


@pytest.fixture
def board_year(settings):
    settings.EVIDENCE_LINKS_IN_THREAD = False
    summary = demo_load(peers=False)
    khp = summary.organisations[0]
    divisions = divisions_ensure(khp)
    demo_users_ensure(khp, divisions)
    year = services.readiness_open(
        organisation=khp, fiscal_year=2569, default_due_date=date(2026, 3, 1), user=None
    )
    year.items.filter(item__code__in=["o4", "o5"]).update(division=divisions["กองคลัง"])
    codes = list(
        Item.objects.filter(indicator__framework__fiscal_year=2569)
        .order_by("order", "code")
        .values_list("code", flat=True)
    )
    return year, codes


def test_clerk_updates_an_item_supervisor_sees_it_and_prints_the_checklist(
    board_year,
    live_server,
    open_page,  # noqa: F811
):
    year, codes = board_year

    clerk = open_page("clerk")
    log_in(clerk, live_server, "demo-finance")
    clerk.locator("nav.main-nav").get_by_role("link", name="งานของกองฉัน").click()
    clerk.wait_for_load_state()
    clerk.get_by_role("link", name="ปรับปรุง o4").click()
    clerk.wait_for_url("**/plans/oit-items/*/")
    clerk.get_by_label("สถานะ").select_option("ready")
    clerk.get_by_label("ที่อยู่หลักฐาน (URL)").fill(EVIDENCE)
    clerk.get_by_label("หมายเหตุ").fill("ขึ้นเว็บไซต์แล้ว")
    submit(clerk, "form.plans-form button[type=submit]")
    assert "/my-work/" in clerk.url
    assert clerk.get_by_text("บันทึก o4 แล้ว").count() == 1
    assert clerk.locator("tr[data-item=o4]").get_by_text("พร้อม").count() == 1

    boss = open_page("supervisor")
    log_in(boss, live_server, "demo-executive")
    boss.locator("nav.main-nav").get_by_role("link", name="เตรียมข้อมูล OIT").click()
    boss.wait_for_url(f"**/oit/{year.fiscal_year}/")
    row = boss.locator("tr[data-item=o4]")
    assert row.get_by_role("link", name=EVIDENCE).count() == 1
    assert row.get_by_text("พร้อม").count() == 1
    assert row.get_by_text("กองคลัง", exact=True).count() == 1
    assert row.get_by_text("เจ้าหน้าที่กองคลัง (สาธิต)").count() == 1
    assert boss.locator("dd[data-status=ready]").inner_text() == "1"
    assert boss.locator("tbody tr[data-item]").count() == len(codes)

    with boss.expect_download() as download:
        boss.get_by_role("link", name="รายการตรวจสอบ (PDF)").click()
    pdf = download.value.path().read_bytes()
    text = words(poppler("pdftotext", pdf, "-layout"))
    for code in codes:
        assert thai_digits(code) in text, code
    assert EVIDENCE in text
