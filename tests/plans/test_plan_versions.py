"""Every write to a plan's rows replaces its content token, whichever path made it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from plans import services
from plans.enums import ActionStatus
from plans.models import Action, Plan
from plans.versions import plan_token, plans_token

pytestmark = pytest.mark.django_db


def _token(plan: Plan) -> str:
    return Plan.objects.get(pk=plan.pk).content_version


def test_editing_an_action_through_the_service_replaces_the_token(draft_plan):
    before = _token(draft_plan)
    action = draft_plan.actions.first()
    services.action_update(action=action, measure="มาตรการใหม่")
    assert _token(draft_plan) != before


def test_deleting_an_action_replaces_the_token(draft_plan):
    before = _token(draft_plan)
    services.action_delete(action=draft_plan.actions.first())
    assert _token(draft_plan) != before


def test_a_direct_save_as_the_admin_makes_replaces_the_token(draft_plan):
    before = _token(draft_plan)
    action = Action.objects.filter(plan=draft_plan).first()
    action.steps = "ขั้นตอนที่แก้ในหน้าผู้ดูแล"
    action.save()
    assert _token(draft_plan) != before


def test_changing_an_actions_divisions_replaces_the_token(draft_plan, divisions):
    action = draft_plan.actions.first()
    before = _token(draft_plan)
    action.divisions.add(divisions["กองช่าง"])
    middle = _token(draft_plan)
    assert middle != before
    divisions["กองช่าง"].actions.remove(action)  # the division's side of the relation
    assert _token(draft_plan) != middle


def test_renaming_a_division_replaces_the_token_of_its_organisations_plans(draft_plan, divisions):
    before = _token(draft_plan)
    division = divisions["กองคลัง"]
    division.name = "กองการคลัง"
    division.save()
    assert _token(draft_plan) != before


def test_progress_on_an_approved_plan_replaces_the_token(approved_plan, people):
    before = _token(approved_plan)
    action = approved_plan.actions.first()
    services.progress_record(
        action=action,
        user=people.supervisor,
        division=None,
        reported_on=datetime.date(2025, 12, 1),
        text="เริ่มดำเนินการแล้ว",
        percent=30,
        status=ActionStatus.IN_PROGRESS,
    )
    assert _token(approved_plan) != before


def test_presenting_to_the_council_replaces_the_token(approved_plan):
    before = _token(approved_plan)
    services.plan_present(
        plan=approved_plan, council_date=timezone.localdate(), council_note="สมัยสามัญ"
    )
    assert _token(approved_plan) != before


def test_the_organisation_token_follows_any_plan_and_a_new_plan(draft_plan):
    organisation_id = draft_plan.organisation_id
    before = plans_token(organisation_id)
    assert plans_token(organisation_id) == before  # stable while nothing changes
    services.action_update(action=draft_plan.actions.first(), measure="แก้")
    after_edit = plans_token(organisation_id)
    assert after_edit != before
    draft_plan.delete()
    assert plans_token(organisation_id) != after_edit


def test_the_plan_token_names_the_plan_and_its_version(draft_plan):
    plan = Plan.objects.get(pk=draft_plan.pk)
    assert plan_token(plan) == f"{plan.pk}:{plan.content_version}"


def test_the_organisation_token_costs_one_query(draft_plan, django_assert_num_queries):
    with django_assert_num_queries(1):
        plans_token(draft_plan.organisation_id)
