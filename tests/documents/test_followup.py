"""The follow-up report: editions, the as-of filter, the score change, views and exports."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from documents.content import DocumentOptions
from documents.exports import followup as followup_exports
from documents.followup import Edition, edition_date, followup_report, status_as_of
from ita.models import Division, Framework
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from plans.models import Evidence, Plan, ProgressReport
from plans.outcome_queries import plan_outcomes
from plans.roles import Role
from tests.documents.conftest import organisation_with_years, plan_with_actions, user_with_role
from tests.documents.test_pdf_text import ORGANISATION, poppler

ARABIC = DocumentOptions(thai_digits=False)
TODAY = date(2026, 12, 1)


def test_edition_date_is_the_end_of_march_or_september_of_the_fiscal_year():
    assert edition_date(Edition.MID_YEAR, 2569, TODAY) == date(2026, 3, 31)
    assert edition_date(Edition.YEAR_END, 2569, TODAY) == date(2026, 9, 30)
    assert edition_date(Edition.TODAY, 2569, TODAY) == TODAY


@pytest.mark.parametrize(
    ("recorded", "percent", "status"),
    [
        (None, None, "not_started"),  # not there yet, or nothing known
        ("not_started", None, "not_started"),
        ("in_progress", None, "in_progress"),
        ("not_started", 40, "in_progress"),  # a note dated before, recorded later
        ("in_progress", 100, "done"),
        ("done", 60, "done"),
        ("cancelled", 20, "cancelled"),
    ],
)
def test_status_as_of_reads_the_history_and_the_notes_dated_by_then(recorded, percent, status):
    assert status_as_of(recorded, percent) == status


def _load(plan: Plan) -> Plan:
    return Plan.objects.select_related("organisation", "assessment__framework").get(pk=plan.pk)


@pytest.fixture
def noted_plan(reference_plan) -> Plan:
    """The reference plan with one note before the end of March and one after it."""
    action = reference_plan.actions.order_by("order", "pk").first()
    division = Division.objects.filter(organisation=reference_plan.organisation).first()
    early = ProgressReport.objects.create(
        action=action, reported_on=date(2026, 2, 10), text="ประชุมชี้แจง", percent=30,
        division=division,
    )  # fmt: skip
    Evidence.objects.create(report=early, link="https://example.org/minutes", original_name="")
    Evidence.objects.create(report=early, original_name="รายงานการประชุม.pdf", file="1/x.pdf")
    ProgressReport.objects.create(
        action=action, reported_on=date(2026, 6, 15), text="เผยแพร่ข้อมูลแล้ว", percent=80
    )
    return reference_plan


@pytest.mark.django_db
def test_followup_report_mid_year_leaves_out_notes_after_march(noted_plan):
    report = followup_report(_load(noted_plan), Edition.MID_YEAR, today=TODAY)

    first = report.rows[0]
    assert report.as_of == date(2026, 3, 31)
    assert [n.text for n in first.notes] == ["ประชุมชี้แจง"]
    assert first.percent == 30
    assert {e.name for e in first.notes[0].evidence} == {
        "https://example.org/minutes",
        "รายงานการประชุม.pdf",
    }
    # An uploaded file is named, never linked.
    assert {e.link for e in first.notes[0].evidence} == {"https://example.org/minutes", ""}


@pytest.mark.django_db
def test_followup_report_year_end_has_every_note_newest_first(noted_plan):
    report = followup_report(_load(noted_plan), Edition.YEAR_END, today=TODAY)

    first = report.rows[0]
    assert [n.text for n in first.notes] == ["เผยแพร่ข้อมูลแล้ว", "ประชุมชี้แจง"]
    assert first.percent == 80
    assert all(not r.notes for r in report.rows[1:])


@pytest.mark.django_db
def test_followup_report_scores_before_and_after_by_indicator_number(db):
    organisation = organisation_with_years([2567])
    plan = plan_with_actions(organisation, 1, fiscal_year=2568)
    number = plan.actions.get().indicator.number
    results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=2568),
        agency_type=organisation.agency_type,
        results=ResultSet(
            overall=Decimal("95.00"),
            level="ผ่าน",
            indicators={number: IndicatorValue(Decimal("95.00"))},
        ),
    )

    report = followup_report(_load(plan), Edition.TODAY, today=TODAY)

    row = report.rows[0]
    assert report.has_next_results
    assert row.score_after == Decimal("95.00")
    assert row.score_change == Decimal("95.00") - row.score_before
    assert followup_exports.score_text(row, thai=False).startswith(f"{row.score_before} → 95.00")
    # The verdict is the plans' rule, the same the plan page shows.
    assert row.verdict == plan_outcomes(plan)[0].verdict
    assert followup_exports.score_text(row, thai=False).endswith(row.verdict_label)


@pytest.mark.django_db
def test_followup_past_editions_show_the_status_and_percent_as_of_their_date(noted_plan):
    action = noted_plan.actions.order_by("order", "pk").first()
    action.status = "done"
    action._history_date = timezone.make_aware(datetime(2026, 4, 2, 9, 0))
    action.save()

    mid = followup_report(_load(noted_plan), Edition.MID_YEAR, today=TODAY).rows[0]
    end = followup_report(_load(noted_plan), Edition.YEAR_END, today=TODAY).rows[0]
    now = followup_report(_load(noted_plan), Edition.TODAY, today=TODAY).rows[0]

    assert (mid.status, mid.percent) == ("in_progress", 30)
    assert (end.status, end.percent) == ("done", 80)
    assert (now.status, now.percent) == ("done", 80)


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_followup_report_query_count_does_not_grow_with_actions(count, django_assert_num_queries):
    organisation = organisation_with_years([2568])
    plan = _load(plan_with_actions(organisation, count))
    for action in plan.actions.all():
        report = ProgressReport.objects.create(
            action=action, reported_on=date(2026, 1, 5), text="ทำแล้ว", percent=50
        )
        Evidence.objects.create(report=report, link="https://example.org/a")

    # Actions, divisions, notes, evidence, the next year's assessment, indicator scores.
    with django_assert_num_queries(6):
        report = followup_report(plan, Edition.TODAY, today=TODAY)
    # A past edition also reads the recorded statuses.
    with django_assert_num_queries(7):
        followup_report(plan, Edition.MID_YEAR, today=TODAY)

    assert len(report.rows) == count
    assert all(len(r.notes[0].evidence) == 1 for r in report.rows)


# --- Views ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_followup_page_is_in_thai_for_a_viewer_with_the_edition_choice(
    client, noted_plan, settings
):
    viewer = user_with_role(noted_plan.organisation, Role.VIEWER, "viewer")
    client.force_login(viewer)

    response = client.get(reverse("documents:followup", args=[noted_plan.pk]), {"edition": "mid"})

    page = response.content.decode()
    assert "รายงานผลการดำเนินงาน" in page
    assert "ประชุมชี้แจง" in page
    assert "เผยแพร่ข้อมูลแล้ว" not in page
    assert "๓๑ มีนาคม ๒๕๖๙" in page
    assert "edition=end" in page
    assert (
        reverse("documents:followup-pdf", args=[noted_plan.pk]) + "?digits=thai&amp;edition=mid"
        in page
    )


@pytest.mark.django_db
def test_followup_is_linked_from_the_plan_page(client, noted_plan, supervisor):
    client.force_login(supervisor)

    response = client.get(reverse("plans:plan-detail", args=[noted_plan.pk]))

    assert (
        reverse("documents:followup", args=[noted_plan.pk]) + "?edition=mid"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_followup_download_is_not_found_for_another_organisation(client, noted_plan, outsider):
    client.force_login(outsider)

    response = client.get(reverse("documents:followup-pdf", args=[noted_plan.pk]))

    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_followup_xlsx_download_has_one_row_per_note(client, noted_plan, staff_user):
    from openpyxl import load_workbook

    client.force_login(staff_user)

    response = client.get(
        reverse("documents:followup-xlsx", args=[noted_plan.pk]), {"edition": "end"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][10] == "เผยแพร่ข้อมูลแล้ว"
    assert rows[0][8] == 80
    assert rows[1][10] == "ประชุมชี้แจง"
    assert "https://example.org/minutes" in rows[1][11]
    assert rows[1][9].date() == date(2026, 2, 10)


# --- Exports ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_followup_docx_holds_the_title_notes_and_signatures(noted_plan):
    from docx import Document

    with translation.override("th"):
        report = followup_report(_load(noted_plan), Edition.MID_YEAR, today=TODAY)
        content = followup_exports.followup_docx(report, ARABIC)

    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "ปีงบประมาณ พ.ศ. 2569" in text
    assert "31 มีนาคม 2569" in text
    assert "ประชุมชี้แจง" in cells
    assert "รายงานการประชุม.pdf" in cells
    assert "กองคลัง" in cells


@pytest.mark.django_db
def test_followup_pdf_text_gives_back_the_organisation_and_division(noted_plan):
    with translation.override("th"):
        report = followup_report(_load(noted_plan), Edition.YEAR_END, today=TODAY)
        pdf = followup_exports.followup_pdf(report, ARABIC)

    text = poppler("pdftotext", pdf)
    assert ORGANISATION in text
    assert "กองคลัง" in text
    assert "30 กันยายน 2569" in text
