"""Approval dates print as the Bangkok day, also between 00:00 and 07:00 local time (the
previous day in UTC), and the council meeting note is printed beside its date."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from documents import exports
from documents.content import DocumentOptions, plan_document
from plans.models import Plan
from plans.tables import PlanTable

pytestmark = pytest.mark.django_db

ARABIC = DocumentOptions(thai_digits=False)
# 06:30 on 15 January 2026 in Bangkok; 14 January in UTC.
EARLY_MORNING = datetime(2026, 1, 14, 23, 30, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def approved_early(reference_plan) -> Plan:
    Plan.objects.filter(pk=reference_plan.pk).update(
        approved_at=EARLY_MORNING,
        council_date=date(2026, 2, 3),
        council_note="สมัยสามัญ สมัยที่ 1/2569",
    )
    reference_plan.refresh_from_db()
    return reference_plan


def test_plan_docx_prints_the_bangkok_approval_day_and_the_council_note(approved_early):
    from docx import Document

    data = plan_document(approved_early.organisation, 2569)
    with translation.override("th"):
        content = exports.plan_docx(data, ARABIC)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "15 มกราคม 2569" in text
    assert "14 มกราคม 2569" not in text
    assert "3 กุมภาพันธ์ 2569 (สมัยสามัญ สมัยที่ 1/2569)" in text


def test_plan_html_prints_the_council_note(approved_early):
    from django.template.loader import render_to_string

    data = plan_document(approved_early.organisation, 2569)
    with translation.override("th"):
        html = render_to_string(
            "documents/includes/plan_body.html", {"plan": data, "options": ARABIC}
        )
    assert "15 มกราคม 2569" in html
    assert "(สมัยสามัญ สมัยที่ 1/2569)" in html


def test_plan_table_prints_the_bangkok_approval_day(approved_early):
    table = PlanTable([approved_early])
    assert table.render_approved_at(approved_early) == "15 ม.ค. 2569"
