from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse

from ita.models import Assessment, Framework, IndicatorResult
from ita.services import framework_copy
from plans import panels, services
from plans.enums import OutcomeVerdict as V
from plans.outcome_queries import plan_outcomes
from plans.outcomes import UNCHANGED_TOLERANCE, ActionOutcome, outcome_verdict, summarise

# --- The pure rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "later", "comparable", "published", "verdict"),
    [
        (D("50.00"), D("60.00"), True, True, V.IMPROVED),
        (D("60.00"), D("50.00"), True, True, V.FELL),
        (D("50.00"), D("50.00"), True, True, V.UNCHANGED),
        (D("50.00"), D("50.00") + UNCHANGED_TOLERANCE, True, True, V.UNCHANGED),
        (D("50.00"), D("50.01") + UNCHANGED_TOLERANCE, True, True, V.IMPROVED),
        (D("50.00"), D("49.99") - UNCHANGED_TOLERANCE, True, True, V.FELL),
        (D("50.00"), None, True, False, V.NO_RESULT_YET),
        (D("50.00"), D("90.00"), False, True, V.NOT_COMPARABLE),
        (None, D("90.00"), True, True, V.NOT_COMPARABLE),
        (D("50.00"), None, True, True, V.NOT_COMPARABLE),
    ],
)
def test_outcome_verdict_follows_the_table(base, later, comparable, published, verdict):
    got = outcome_verdict(base=base, later=later, comparable=comparable, later_published=published)
    assert got == verdict


def _outcome(pk: int, status: str, verdict: V) -> ActionOutcome:
    return ActionOutcome(pk, "4", status, 2568, D(1), 2569, D(1), verdict)


def test_summarise_counts_only_judged_measures_and_done_but_fell():
    outcomes = [
        _outcome(1, "done", V.IMPROVED),
        _outcome(2, "done", V.FELL),
        _outcome(3, "in_progress", V.UNCHANGED),
        _outcome(4, "done", V.NOT_COMPARABLE),
    ]
    summary = summarise(outcomes)
    assert (summary.worked, summary.judged, summary.done_but_fell) == (1, 3, 1)


# --- Loading both years -------------------------------------------------------------------------


def _next_year(assessment: Assessment, scores: dict[int, str]) -> Assessment:
    year = assessment.framework.fiscal_year + 1
    # The next year's framework may already ship as data; the test then sets it in the same
    # family so only the rule under test decides.
    framework = Framework.objects.filter(fiscal_year=year).first()
    if framework is None:
        framework = framework_copy(source=assessment.framework, fiscal_year=year)
    elif framework.family != assessment.framework.family:
        framework.family = assessment.framework.family
        framework.save()
    later = Assessment.objects.create(
        organisation=assessment.organisation,
        framework=framework,
        agency_type=assessment.agency_type,
    )
    for indicator in framework.indicators.filter(number__in=scores):
        IndicatorResult.objects.create(
            assessment=later, indicator=indicator, score=D(scores[indicator.number])
        )
    return later


def _plan(assessment, numbers, status="done"):
    plan = services.plan_create(
        organisation=assessment.organisation, assessment=assessment, fiscal_year=2569
    )
    for indicator in assessment.framework.indicators.filter(number__in=numbers):
        action = services.action_create(plan=plan, indicator=indicator, finding="f", measure="m")
        action.status = status
        action.save()
    return plan


def test_plan_outcomes_before_the_next_year_is_published_say_no_result_yet(assessment_2568):
    plan = _plan(assessment_2568, [4, 6])
    assert {o.verdict for o in plan_outcomes(plan)} == {V.NO_RESULT_YET}


def test_plan_outcomes_compare_by_indicator_number_and_list_done_but_fell_first(assessment_2568):
    base = {
        r.indicator.number: r.score
        for r in IndicatorResult.objects.filter(assessment=assessment_2568).select_related(
            "indicator"
        )
    }
    _next_year(assessment_2568, {4: str(base[4] + 10), 6: str(base[6] - 10)})
    plan = _plan(assessment_2568, [4, 6, 7])

    outcomes = plan_outcomes(plan)

    assert [(o.target, o.verdict) for o in outcomes] == [
        ("6", V.FELL),
        ("4", V.IMPROVED),
        ("7", V.NOT_COMPARABLE),
    ]
    assert outcomes[0].done_but_fell


def test_plan_outcomes_across_framework_families_are_not_comparable(assessment_2568):
    later = _next_year(assessment_2568, {4: "99.00"})
    Framework.objects.filter(pk=later.framework_id).update(family="another-family")
    plan = _plan(assessment_2568, [4])
    assert [o.verdict for o in plan_outcomes(plan)] == [V.NOT_COMPARABLE]


@pytest.mark.parametrize("count", [1, 3])
def test_plan_outcomes_query_count_does_not_grow_with_actions(
    assessment_2568, django_assert_num_queries, count
):
    _next_year(assessment_2568, {4: "90.00", 6: "10.00", 7: "50.00"})
    plan = _plan(assessment_2568, [4, 6, 7][:count])
    plan = type(plan).objects.select_related("assessment__framework").get(pk=plan.pk)
    # The actions, the next year's assessment, both years' indicator scores (question and item
    # scores are not asked for when no measure targets one).
    with django_assert_num_queries(3):
        outcomes = plan_outcomes(plan)
    assert len(outcomes) == count


# --- Pages --------------------------------------------------------------------------------------


def test_plan_page_shows_the_summary_line_in_thai(client, people, assessment_2568):
    _next_year(assessment_2568, {4: "99.00", 6: "0.00"})
    plan = _plan(assessment_2568, [4, 6])
    client.force_login(people.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    response = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    text = response.content.decode()
    assert "มาตรการได้ผล 1 จาก 2" in text
    assert "plans-alert" in text


def test_action_page_of_another_organisation_is_refused(client, people, assessment_2568):
    plan = _plan(assessment_2568, [4])
    client.force_login(people.outsider)
    response = client.get(reverse("plans:action-detail", args=[plan.actions.get().pk]))
    assert response.status_code in (403, 404)
    assert b"outcomes-heading" not in response.content


def test_previous_outcomes_summarise_last_years_plan_for_the_new_dashboard(assessment_2568):
    later = _next_year(assessment_2568, {4: "99.00", 6: "0.00"})
    _plan(assessment_2568, [4, 6])

    previous = panels.previous_outcomes(assessment_2568.organisation, later.framework.fiscal_year)

    assert previous.available
    assert (previous.summary.worked, previous.summary.judged) == (1, 2)
    assert previous.summary.done_but_fell == 1
    assert not panels.previous_outcomes(assessment_2568.organisation, 2568).available
