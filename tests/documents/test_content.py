from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from documents.content import DocumentOptions, plan_document, report_data
from ita.models import IndicatorResult
from ita.narratives import Verdict
from tests.documents.conftest import organisation_with_years, plan_with_actions

pytestmark = pytest.mark.django_db


def test_report_data_holds_the_reference_documents_numbers(reference):
    with translation.override("en"):
        report = report_data(reference.organisation, 2568)

    assert report is not None
    assert report.overall == Decimal("94.39")
    assert report.level == "ผ่านดี"
    assert [s.score for s in report.indicators] == [
        Decimal(v)
        for v in ["98.07", "99.12", "99.12", "94.38", "97.02", "93.92", "90.55", "90.31", "98.25",
                  "90.00"]
    ]  # fmt: skip
    first = report.indicators[0]
    assert [(q.code, q.scores) for q in first.questions] == [
        ("i1", (Decimal("96.32"),)),
        ("i2", (Decimal("97.89"),)),
        ("i3", (Decimal("100.00"),)),
    ]
    communication = report.indicators[6]
    assert communication.channels == ("EitPublic", "EitSurvey")
    assert communication.questions[0].scores == (Decimal("88.78"), Decimal("92.00"))
    assert report.indicators[8].questions == ()  # OIT: no questions, as in the document


def test_report_data_verdicts_follow_the_threshold(reference):
    report = report_data(reference.organisation, 2568)

    improve = [s.number for s in report.indicators if s.verdict is Verdict.IMPROVE]
    assert improve == [4, 6, 7, 8, 10]  # the indicators part 2 plans actions for


def test_report_data_verdicts_follow_the_frameworks_improve_line(reference):
    framework = reference.organisation.assessments.get().framework
    framework.improve_below = Decimal("91")
    framework.save()

    report = report_data(reference.organisation, 2568)

    improve = [s.number for s in report.indicators if s.verdict is Verdict.IMPROVE]
    assert improve == [7, 8, 10]


def test_report_data_prints_the_saved_analysis(reference):
    report = report_data(reference.organisation, 2568)

    assert not any(s.drafted for s in report.indicators)
    assert report.indicators[0].analysis.startswith(
        "องค์การบริหารส่วนตำบลคลองหินปูน มีผลคะแนนในตัวชี้วัดด้านการปฏิบัติหน้าที่ อยู่ที่ ๙๘.๐๗"
    )


def test_report_data_drafts_the_analysis_that_was_not_saved(reference):
    IndicatorResult.objects.filter(assessment=reference, indicator__number=4).update(analysis="")

    report = report_data(reference.organisation, 2568, DocumentOptions(thai_digits=False))

    section = report.indicators[3]
    assert section.drafted
    assert "อยู่ที่ 94.38 คะแนน" in section.analysis
    assert "ตั้งแต่ข้อ i10 ถึง ข้อ i12" in section.analysis
    assert "ข้อ i10 ได้คะแนน 88.42" in section.analysis
    # The standard measure of indicator 4 (plans' MeasureTemplate) gives the remedy.
    assert "ดังนั้น หน่วยงานควรจัดทำคู่มือหรือแนวทางการขอยืมใช้ทรัพย์สินของทางราชการ" in (section.analysis)


def test_report_data_holds_the_plan_of_the_next_year(reference):
    with translation.override("en"):
        report = report_data(reference.organisation, 2568)
        responsible = [r.responsible for r in report.plan.rows]

    plan = report.plan
    assert plan is not None
    assert plan.fiscal_year == 2569
    assert [r.indicator_number for r in plan.rows] == [4, 6, 7, 8, 10]
    assert responsible == ["กองคลัง", "All divisions", "สำนักปลัด", "สำนักปลัด", "สำนักปลัด"]
    assert plan.rows[4].code == "o27"
    assert plan.approved_by == "ปลัด อบต. (สาธิต)"


def test_report_data_is_none_for_a_year_without_results(reference):
    assert report_data(reference.organisation, 2560) is None


@pytest.mark.parametrize("years", [[2568], [2566, 2567, 2568]])
def test_report_data_query_count_does_not_grow_with_years_or_actions(
    years, django_assert_num_queries
):
    organisation = organisation_with_years(years)
    plan_with_actions(organisation, len(years))

    with django_assert_num_queries(12):
        report = report_data(organisation, 2568)

    assert len(report.history) == len(years)
    assert len(report.plan.rows) == len(years)


@pytest.mark.parametrize("count", [1, 3, 30])
def test_plan_document_query_count_does_not_grow_with_actions(count, django_assert_num_queries):
    organisation = organisation_with_years([2568])
    plan_with_actions(organisation, count)

    with django_assert_num_queries(3):
        document = plan_document(organisation, 2569)

    assert len(document.rows) == count
    assert document.rows[0].divisions == ("สำนักปลัด",)
    assert document.rows[-1].divisions in {("สำนักปลัด",), ("กองคลัง", "สำนักปลัด")}
