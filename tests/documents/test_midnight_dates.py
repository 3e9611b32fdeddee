"""Dates around midnight print as the Bangkok day everywhere a plan's dates are printed.

The plan is approved at 2026-01-10 23:30 UTC, which is 11 มกราคม 2569 06:30 in Bangkok: a
date taken from the UTC value (``approved_at.date()``, formatting without local time) prints
10 มกราคม, a day early.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from documents import exports
from documents.content import DocumentOptions, plan_document
from plans.models import Plan
from plans.services import plan_present

pytestmark = pytest.mark.django_db

ARABIC = DocumentOptions(thai_digits=False)
APPROVED = datetime(2026, 1, 10, 23, 30, tzinfo=ZoneInfo("UTC"))
BANGKOK_DAY = "11 มกราคม 2569"
UTC_DAY = "10 มกราคม 2569"
BANGKOK_SHORT = "11 ม.ค. 2569"
UTC_SHORT = "10 ม.ค. 2569"


@pytest.fixture
def approved(reference_plan) -> Plan:
    """The reference plan (approved as it loads), approved at the test's moment instead."""
    assert reference_plan.approved_at is not None
    Plan.objects.filter(pk=reference_plan.pk).update(approved_at=APPROVED)
    reference_plan.refresh_from_db()
    # The council may meet the same Bangkok morning: 11 January is not before the approval.
    plan_present(plan=reference_plan, council_date=date(2026, 1, 11), council_note="สมัยวิสามัญ")
    reference_plan.refresh_from_db()
    return reference_plan


def test_midnight_approval_is_stored_in_utc_and_is_the_11th_in_bangkok(approved):
    assert approved.approved_at == APPROVED
    assert timezone.localtime(approved.approved_at).strftime("%d %H:%M") == "11 06:30"


def test_midnight_plans_list_shows_the_bangkok_day(client, approved, supervisor):
    client.force_login(supervisor)

    page = client.get(reverse("plans:plan-list")).content.decode()

    assert BANGKOK_SHORT in page
    assert UTC_SHORT not in page


def test_midnight_plan_page_shows_the_bangkok_day(client, approved, supervisor):
    client.force_login(supervisor)

    page = client.get(reverse("plans:plan-detail", args=[approved.pk])).content.decode()

    assert BANGKOK_DAY in page
    assert UTC_DAY not in page


def test_midnight_plan_pdf_prints_the_bangkok_day(approved):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    with translation.override("th"):
        pdf = exports.plan_pdf(plan_document(approved.organisation, 2569), ARABIC)

    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    text = " ".join(text.stdout.decode("utf-8").split())

    assert BANGKOK_DAY in text
    assert UTC_DAY not in text


def test_midnight_plan_docx_prints_the_bangkok_day_in_the_header_and_signatures(approved):
    with translation.override("th"):
        content = exports.plan_docx(plan_document(approved.organisation, 2569), ARABIC)

    document = Document(io.BytesIO(content))
    header = "\n".join(p.text for p in document.paragraphs)
    signatures = document.tables[-1].rows[0].cells[1].text
    assert BANGKOK_DAY in header and BANGKOK_DAY in signatures
    assert UTC_DAY not in header + signatures


def test_midnight_plan_xlsx_dates_the_approval_on_the_bangkok_day(approved):
    with translation.override("th"):
        content = exports.plan_xlsx(plan_document(approved.organisation, 2569))

    sheet = load_workbook(io.BytesIO(content))["การอนุมัติ"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["วันที่อนุมัติ"].date() == date(2026, 1, 11)
    assert values["วันที่ประชุมสภา"].date() == date(2026, 1, 11)
    assert values["บันทึกการประชุมสภา"] == "สมัยวิสามัญ"


def test_midnight_followup_as_of_today_is_the_bangkok_day(
    client, approved, supervisor, monkeypatch
):
    # 23:30 UTC on 10 January: already the morning of 11 January in Bangkok.
    monkeypatch.setattr(timezone, "now", lambda: APPROVED)
    client.force_login(supervisor)

    url = reverse("documents:followup", args=[approved.pk])
    page = client.get(url, {"digits": "arabic"}).content.decode()
    docx = client.get(reverse("documents:followup-docx", args=[approved.pk]), {"digits": "arabic"})

    assert f"ณ วันที่ {BANGKOK_DAY}" in page
    assert UTC_DAY not in page
    header = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"ณ วันที่ {BANGKOK_DAY}" in header


def test_midnight_analysis_edit_shows_the_bangkok_day_and_time_of_the_last_change(
    client, reference, supervisor
):
    from ita.models import IndicatorResult
    from ita.services.narratives import narratives_save

    narratives_save(assessment=reference, texts={}, verdicts={4: "maintain"})
    IndicatorResult.history.filter(indicator__number=4).update(history_date=APPROVED)
    client.force_login(supervisor)

    url = reverse("documents:narratives-edit", args=[reference.organisation_id, 2568])
    page = client.get(url).content.decode()

    assert f"{BANGKOK_SHORT} เวลา 06:30 น." in page
    assert UTC_SHORT not in page
