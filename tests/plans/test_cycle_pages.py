"""Pages of the yearly cycle cost the same with 1 or 3 years of plans behind them: the plan,
a carried action, the follow-up report and the dashboard each read a fixed number of rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans import services
from plans.carryover_queries import carry_offers
from plans.services import CarryChoice
from tests.plans.conftest import build_plan


def chain(assessment_2568, assessment_2569, divisions, supervisor, years: int):
    """`years` approved plans before the newest, each carrying its unfinished actions on."""
    plans = [build_plan(assessment_2568, divisions, approve_by=supervisor)]
    for fiscal_year in range(2570, 2570 + years):
        plan = build_plan(assessment_2569, divisions, fiscal_year=fiscal_year)
        offers = carry_offers(plan)
        services.actions_carry_over(
            plan=plan,
            carries=[
                CarryChoice(o.action.pk, o.match or "indicator:10")
                for o in offers.offers
                if o.action.indicator.number in (6, 10)
            ],
        )
        plans.append(plan)
        if fiscal_year < 2569 + years:
            services.plan_approve(plan=plan, user=supervisor)
    return plans


@pytest.mark.parametrize("years", [1, 3])
def test_cycle_pages_query_counts_do_not_grow_with_years_of_plans(
    client, people, divisions, assessment_2568, assessment_2569, django_assert_num_queries, years
):
    plans = chain(assessment_2568, assessment_2569, divisions, people.supervisor, years)
    newest, previous = plans[-1], plans[-2]
    carried = newest.actions.filter(continued_from__isnull=False).first()
    organisation = newest.organisation
    client.force_login(people.supervisor)

    # 15: the plan page's 13 and the 2 its page-cache key and surrounding parts read (the
    # plan with its revisions, the years' versions).
    with django_assert_num_queries(15):
        plan_page = client.get(newest.get_absolute_url())
    with django_assert_num_queries(9):
        action_page = client.get(carried.get_absolute_url())
    # The 2569 plan, judged by the 2569 results, whatever came after it.
    with django_assert_num_queries(13):
        followup = client.get(reverse("documents:followup", args=[plans[0].pk]) + "?edition=end")
    # 21: the cold dashboard reads the plans token and its years' versions for its page-cache
    # key (ita.pagecache), then the assessment rows it renders from.
    with django_assert_num_queries(21):
        dashboard = client.get(reverse("ita:dashboard", args=[organisation.pk]))

    assert len(plans) == years + 1
    assert f"Continued from {previous.fiscal_year}" in plan_page.content.decode()
    assert previous.actions.get(pk=carried.continued_from_id).get_absolute_url() in (
        action_page.content.decode()
    )
    assert len(followup.context["report"].rows) == plans[0].actions.count()
    assert dashboard.status_code == 200 and "plans-outcome-summary" in dashboard.content.decode()
