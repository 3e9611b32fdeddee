"""The demo tells the yearly cycle: the fictional organisation's 2569 results judge its 2569
plan, its 2570 plan carries the unfinished measures on, and a year-end follow-up reads as
of September, its OIT board of 2569 has every item of that year's framework with one overdue;
the real อบต.คลองหินปูน keeps exactly its published 2568 data."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from documents.followup import Edition, followup_report
from ita.demo import FICTIONAL_NAME, reference_data, reference_results
from ita.models import Assessment, IndicatorResult, Item, ItemResult, QuestionScore
from plans.enums import OutcomeVerdict as V
from plans.models import Action, Plan
from plans.outcome_queries import plan_outcomes
from plans.readiness import queries as readiness_queries
from plans.readiness import rules as readiness_rules
from plans.readiness.models import ReadinessItem, ReadinessYear

REFERENCE = "องค์การบริหารส่วนตำบลคลองหินปูน"
TODAY = date(2026, 12, 2)


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-peers", "--i-know-this-is-not-production", stdout=StringIO())


def _plan(year: int) -> Plan:
    return Plan.objects.select_related("organisation", "assessment__framework").get(
        organisation__name=FICTIONAL_NAME, fiscal_year=year
    )


def test_demo_2569_plan_has_done_and_unfinished_measures_with_a_verdict_each(demo):
    plan = _plan(2569)

    outcomes = plan_outcomes(plan)
    statuses = sorted(plan.actions.values_list("status", flat=True))

    assert plan.status == "approved" and plan.assessment.framework.fiscal_year == 2568
    assert statuses.count("done") == 4 and "not_started" in statuses and "in_progress" in statuses
    assert {o.verdict for o in outcomes} == {V.IMPROVED, V.UNCHANGED, V.FELL, V.NOT_COMPARABLE}
    # Indicator 5's measure was done, yet it fell in 2569: listed first for the supervisor.
    assert outcomes[0].done_but_fell and outcomes[0].target == "5"


def test_demo_2570_plan_carries_the_unfinished_measures_with_o27_mapped_to_o25(demo):
    plan = _plan(2570)

    carried = Action.objects.filter(plan=plan, continued_from__isnull=False).select_related(
        "continued_from__item", "item", "indicator"
    )
    old_open = Action.objects.filter(plan=_plan(2569)).exclude(status="done")

    assert plan.assessment.framework.fiscal_year == 2569
    assert {a.continued_from_id for a in carried} == set(old_open.values_list("pk", flat=True))
    assert all(a.status == "not_started" for a in carried)
    mapped = next(
        a for a in carried if a.continued_from.item and a.continued_from.item.code == "o27"
    )
    assert (mapped.indicator.number, mapped.item.code) == (10, "o25")
    # Drafted anew only where nothing was carried: no target twice.
    targets = [(a.indicator.number, a.item.code if a.item else "") for a in plan.actions.all()]
    assert len(targets) == len(set(targets))


def test_demo_follow_up_year_end_and_mid_year_read_as_of_their_dates(demo):
    plan = _plan(2569)

    year_end = followup_report(plan, Edition.YEAR_END, today=TODAY)
    mid_year = followup_report(plan, Edition.MID_YEAR, today=TODAY)

    end_rows = {(r.indicator_number, r.code): r for r in year_end.rows}
    mid_rows = {(r.indicator_number, r.code): r for r in mid_year.rows}
    assert year_end.has_next_results and year_end.done_count == 4
    assert (end_rows[(4, "")].status, end_rows[(4, "")].percent) == ("done", 100)
    assert end_rows[(5, "")].done_but_fell
    assert (end_rows[(7, "")].status, end_rows[(7, "")].notes) == ("not_started", ())
    assert mid_rows[(4, "")].percent == 100 and mid_rows[(6, "")].status == "in_progress"


def test_demo_keeps_the_reference_organisation_exactly_as_published(demo):
    data = reference_data()
    published = reference_results(data)

    assessments = Assessment.objects.filter(organisation__name=REFERENCE)
    (assessment,) = assessments
    scores = dict(
        IndicatorResult.objects.filter(assessment=assessment).values_list(
            "indicator__number", "score"
        )
    )

    assert assessment.framework.fiscal_year == 2568
    assert (assessment.published_overall, assessment.published_level) == (
        published.overall,
        published.level,
    )
    assert scores == {n: v.score for n, v in published.indicators.items()}
    assert QuestionScore.objects.filter(assessment=assessment).count() == len(published.questions)
    assert ItemResult.objects.filter(assessment=assessment).count() == len(published.items)
    assert list(
        Plan.objects.filter(organisation__name=REFERENCE).values_list("fiscal_year", flat=True)
    ) == [2569]
    assert (
        not Action.objects.filter(plan__organisation__name=REFERENCE)
        .exclude(status="not_started")
        .exists()
    )
    assert not ReadinessYear.objects.filter(organisation__name=REFERENCE).exists()


def test_demo_oit_board_of_2569_lists_the_framework_items_with_one_overdue(demo):
    year = ReadinessYear.objects.select_related("organisation", "framework").get(
        organisation__name=FICTIONAL_NAME
    )

    board = readiness_queries.board(year, TODAY)
    statuses = {row.entry.status for row in board.rows}
    by_code = {row.entry.item.code.lower(): row for row in board.rows}

    assert (year.fiscal_year, year.framework.fiscal_year) == (2569, 2569)
    assert readiness_rules.due_date_error(year.default_due_date, 2569) is None
    # The framework data decides the items: every OIT item of 2569, none twice.
    framework_items = Item.objects.filter(indicator__framework=year.framework)
    assert board.total == framework_items.count() == 26
    assert {row.entry.item_id for row in board.rows} == set(
        framework_items.values_list("pk", flat=True)
    )
    assert {"in_progress", "ready", "checked"} <= statuses
    assert len({row.entry.division.name for row in board.rows}) >= 3
    # One overdue, listed first: O25 (its 2569 result was partial), past its own due date.
    assert board.overdue == 1 and board.rows[0].entry.item.code.lower() == "o25"
    assert board.rows[0].due < year.default_due_date and board.rows[0].public_year == 2568
    assert by_code["o26"].public_year == 2567
    urls = [row.entry.evidence_url for row in board.rows if row.entry.evidence_url]
    assert len(urls) == 25 and all(u.startswith("https://www.bansathit.example/") for u in urls)
    assert all(row.entry.updated_by_id for row in board.rows)


def test_demo_oit_board_is_left_as_it_is_when_loaded_again(demo):
    entry = ReadinessItem.objects.get(year__organisation__name=FICTIONAL_NAME, item__code="o4")
    ReadinessItem.objects.filter(pk=entry.pk).update(status="in_progress", note="แก้ไขแล้ว")

    call_command("load_demo", "--no-peers", "--i-know-this-is-not-production", stdout=StringIO())

    entry.refresh_from_db()
    assert (entry.status, entry.note) == ("in_progress", "แก้ไขแล้ว")
    assert ReadinessYear.objects.filter(organisation__name=FICTIONAL_NAME).count() == 1
