"""Carrying last year's unfinished actions into the new plan: the rule, the service, the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans import carryover, services
from plans.carryover import FrameworkTargets, PreviousAction, Target
from plans.carryover_queries import carry_offers
from plans.models import Plan, ProgressReport
from plans.services import CarryChoice
from tests.plans.conftest import build_plan

# --- The pure rules ---------------------------------------------------------------------------


def _previous(pk: int, status: str, carried: bool = False) -> PreviousAction:
    return PreviousAction(pk=pk, status=status, target=Target(4), carried=carried)


def test_carry_candidates_are_the_unfinished_actions_not_carried_yet():
    actions = [
        _previous(1, "not_started"),
        _previous(2, "in_progress"),
        _previous(3, "done"),
        _previous(4, "cancelled"),
        _previous(5, "in_progress", carried=True),
    ]

    assert [a.pk for a in carryover.carry_candidates(actions)] == [1, 2]


FRAMEWORK = FrameworkTargets(
    indicators=frozenset(range(1, 11)),
    questions={"i3": 1},
    items={"o16": 9, "o20": 10, "o25": 10},
)


@pytest.mark.parametrize(
    ("target", "match"),
    [
        (Target(4), "indicator:4"),
        (Target(11), None),  # no such indicator in the new year
        (Target(9, item_code="o16"), "item:o16"),
        (Target(10, item_code="o27"), None),  # the code is gone
        (Target(9, item_code="o20"), None),  # the code moved to another indicator
        (Target(1, question_code="i3"), "question:i3"),
        (Target(2, question_code="i3"), None),
    ],
)
def test_target_match_keeps_the_same_target_or_asks(target, match):
    assert carryover.target_match(target, FRAMEWORK) == match


def test_target_keys_read_back_and_refuse_nonsense():
    assert carryover.parse_target_key("item:o25") == ("item", "o25")
    with pytest.raises(ValueError):
        carryover.parse_target_key("colour:red")
    with pytest.raises(ValueError):
        carryover.parse_target_key("indicator:")


# --- The service ------------------------------------------------------------------------------


@pytest.fixture
def plan_2569(assessment_2568, divisions, people):
    """The 2569 plan (from 2568): 4 done, 6 in progress with a report, the rest not started."""
    plan = build_plan(assessment_2568, divisions, approve_by=people.supervisor)
    actions = {a.indicator.number: a for a in plan.actions.filter(item__isnull=True)}
    services.progress_record(
        action=actions[4], user=None, division=None, reported_on=plan.approved_at.date(),
        text="เสร็จ", percent=100, status="done",
    )  # fmt: skip
    services.progress_record(
        action=actions[6], user=None, division=None, reported_on=plan.approved_at.date(),
        text="ครึ่งทาง", percent=50, status="in_progress",
    )  # fmt: skip
    return plan


@pytest.fixture
def plan_2570(plan_2569, assessment_2569):
    return services.plan_create(organisation=plan_2569.organisation, assessment=assessment_2569)


def test_carry_offers_list_unfinished_actions_and_ask_for_o27(plan_2569, plan_2570):
    offers = carry_offers(plan_2570)

    by_target = {
        (o.action.indicator.number, o.action.item.code if o.action.item else ""): o.match
        for o in offers.offers
    }
    assert offers.previous == plan_2569
    assert (4, "") not in by_target  # done
    assert by_target[(6, "")] == "indicator:6"
    # 2568's o27 (the measures to promote integrity) has no 2569 counterpart by code.
    assert by_target[(10, "o27")] is None
    assert ("item:o25", "10 · " + str(plan_2570.assessment.framework.indicators.get(
        number=10).items.get(code="o25"))) in offers.targets  # fmt: skip


def test_carry_over_creates_linked_not_started_actions_and_keeps_the_old_history(
    plan_2569, plan_2570, divisions
):
    old6 = plan_2569.actions.get(indicator__number=6, item__isnull=True)
    old27 = plan_2569.actions.get(item__code="o27")

    created = services.actions_carry_over(
        plan=plan_2570,
        carries=[
            CarryChoice(action_id=old6.pk, target="indicator:6"),
            CarryChoice(action_id=old27.pk, target="item:o25"),
        ],
    )

    new6, new25 = created
    assert new6.plan == plan_2570 and new6.continued_from == old6
    assert new6.status == "not_started" and new6.measure == old6.measure
    assert new6.indicator.framework == plan_2570.assessment.framework
    assert new6.all_divisions is True
    assert (new25.item.code, new25.indicator.number) == ("o25", 10)
    assert list(new25.divisions.all()) == [divisions["สำนักปลัด"]]
    assert (new6.start_month.year, new6.start_month.month) == (2026, 10)
    old6.refresh_from_db()
    assert old6.status == "in_progress"
    assert ProgressReport.objects.filter(action=old6).count() == 1
    assert not ProgressReport.objects.filter(action=new6).exists()
    assert list(old6.continued_in.all()) == [new6]


def test_carry_over_refuses_done_twice_carried_or_foreign_actions_and_writes_nothing(
    plan_2569, plan_2570, assessment_2568
):
    done = plan_2569.actions.get(indicator__number=4, item__isnull=True)
    open6 = plan_2569.actions.get(indicator__number=6, item__isnull=True)

    for carries in (
        [CarryChoice(open6.pk, "indicator:6"), CarryChoice(done.pk, "indicator:4")],
        [CarryChoice(open6.pk, "indicator:6"), CarryChoice(open6.pk, "indicator:6")],
        [CarryChoice(open6.pk, "item:o27")],  # not a 2569 target
        [CarryChoice(open6.pk, "indicator:99")],
    ):
        with pytest.raises(ValidationError):
            services.actions_carry_over(plan=plan_2570, carries=carries)
    assert not plan_2570.actions.exists()

    services.actions_carry_over(plan=plan_2570, carries=[CarryChoice(open6.pk, "indicator:6")])
    with pytest.raises(ValidationError):
        services.actions_carry_over(plan=plan_2570, carries=[CarryChoice(open6.pk, "indicator:6")])
    assert plan_2570.actions.count() == 1


def test_actions_add_is_one_write_a_bad_carry_leaves_no_drafted_action(plan_2569, plan_2570):
    from plans.queries import plan_proposals

    drafts = [
        services.ActionDraft(p.indicator_number, p.item_code, p.finding, p.measure, p.steps)
        for p in plan_proposals(plan_2570)
    ]
    done = plan_2569.actions.get(indicator__number=4, item__isnull=True)

    with pytest.raises(ValidationError):
        services.actions_add(
            plan=plan_2570, drafts=drafts, carries=[CarryChoice(done.pk, "indicator:4")]
        )

    assert drafts and not plan_2570.actions.exists()


# --- The page ---------------------------------------------------------------------------------


def _carry_post(offers, picks: dict[int, str]) -> dict[str, str]:
    data = {
        "p-TOTAL_FORMS": "0", "p-INITIAL_FORMS": "0",
        "c-TOTAL_FORMS": str(len(offers)), "c-INITIAL_FORMS": str(len(offers)),
    }  # fmt: skip
    for index, offer in enumerate(offers):
        data[f"c-{index}-action"] = str(offer.action.pk)
        data[f"c-{index}-target"] = offer.match or ""
        if offer.action.pk in picks:
            data[f"c-{index}-carry"] = "on"
            if picks[offer.action.pk]:
                data[f"c-{index}-target"] = picks[offer.action.pk]
    return data


def test_draft_page_offers_unticked_rows_and_asks_for_the_missing_target(
    client, people, plan_2569, plan_2570
):
    client.force_login(people.supervisor)
    url = reverse("plans:plan-draft", args=[plan_2570.pk])
    offers = carry_offers(plan_2570).offers
    o27 = next(o for o in offers if o.match is None)

    page = client.get(url)
    refused = client.post(url, _carry_post(offers, {o27.action.pk: ""}))

    html = page.content.decode()
    assert "Unfinished actions of the 2569 plan" in html
    assert 'name="c-0-carry"' in html and "checked" not in html.split('name="c-0-carry"')[1][:40]
    assert "o27 is not in the 2569 framework" in html
    assert refused.status_code == 200
    assert "This target is not in the new framework" in refused.content.decode()
    assert not plan_2570.actions.exists()


def test_draft_page_carries_the_ticked_rows_and_links_both_ways(
    client, people, plan_2569, plan_2570
):
    client.force_login(people.supervisor)
    url = reverse("plans:plan-draft", args=[plan_2570.pk])
    offers = carry_offers(plan_2570).offers
    o27 = next(o for o in offers if o.match is None)
    six = next(o for o in offers if o.match == "indicator:6")

    response = client.post(url, _carry_post(offers, {o27.action.pk: "item:o25", six.action.pk: ""}))

    assert response.status_code == 302
    carried = list(plan_2570.actions.order_by("order"))
    assert [(a.continued_from_id, a.item.code if a.item else "") for a in carried] == [
        (six.action.pk, ""), (o27.action.pk, "o25"),
    ]  # fmt: skip
    new_page = client.get(carried[1].get_absolute_url()).content.decode()
    old_page = client.get(o27.action.get_absolute_url()).content.decode()
    assert o27.action.get_absolute_url() in new_page and "Continued from" in new_page
    assert carried[1].get_absolute_url() in old_page and "Continued in" in old_page
    again = client.get(url).content.decode()
    assert f'value="{o27.action.pk}"' not in again  # carried once only


def test_draft_page_without_a_previous_plan_shows_no_carry_over(client, people, draft_plan):
    client.force_login(people.supervisor)

    html = client.get(reverse("plans:plan-draft", args=[draft_plan.pk])).content.decode()

    assert "Unfinished actions" not in html


@pytest.mark.parametrize("years", [1, 3])
def test_draft_page_with_carry_over_query_count_does_not_grow_with_years(
    client, people, divisions, assessment_2568, assessment_2569, django_assert_num_queries, years
):
    """1 or 3 years of plans before the new one: the page reads only the previous year."""
    plans = [build_plan(assessment_2568, divisions, approve_by=people.supervisor)]
    for fiscal_year in range(2570, 2569 + years):
        plans.append(
            build_plan(
                assessment_2569, divisions, approve_by=people.supervisor, fiscal_year=fiscal_year
            )
        )
    new = services.plan_create(
        organisation=assessment_2569.organisation,
        assessment=assessment_2569,
        fiscal_year=plans[-1].fiscal_year + 1,
    )
    client.force_login(people.supervisor)

    with django_assert_num_queries(19):
        page = client.get(reverse("plans:plan-draft", args=[new.pk]))

    assert Plan.objects.count() == years + 1
    assert len(page.context["carry_set"].forms) == plans[-1].actions.count()


def test_draft_page_notes_a_proposal_whose_target_is_also_offered_to_carry_over(
    client, people, plan_2569, plan_2570
):
    client.force_login(people.supervisor)

    page = client.get(reverse("plans:plan-draft", args=[plan_2570.pk]))

    html = page.content.decode()
    # 4 was done; 6, 7 and 8 are open and proposed again; o27 has no 2569 counterpart.
    assert page.context["offered"] == {"6", "7", "8"}
    assert html.count("aims at this target too") == 3


def test_a_carried_on_action_takes_no_more_progress_and_points_to_its_continuation(
    client, people, plan_2569, plan_2570
):
    old = plan_2569.actions.get(indicator__number=6, item__isnull=True)
    (new,) = services.actions_carry_over(
        plan=plan_2570, carries=[CarryChoice(old.pk, "indicator:6")]
    )
    client.force_login(people.supervisor)

    page = client.get(old.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        services.progress_record(
            action=old, user=None, division=None, reported_on=date(2026, 4, 1),
            text="ต่อ", percent=70, status="in_progress",
        )  # fmt: skip

    assert 'name="percent"' not in page
    assert "record new progress there" in page and new.get_absolute_url() in page
    assert old.reports.count() == 1
