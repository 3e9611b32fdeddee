from __future__ import annotations

from django.contrib.auth import authenticate

from ita.models import Division, Membership
from plans.access import user_role
from plans.demo import DEMO_PASSWORD, load_reference_plan
from plans.models import Plan
from plans.roles import Role
from plans.templatetags.plans_tags import period, responsible


def test_load_reference_plan_reproduces_the_five_actions_of_the_document(assessment_2568):
    plan = load_reference_plan(
        organisation=assessment_2568.organisation, assessment=assessment_2568
    )

    actions = list(plan.actions.select_related("indicator", "item").order_by("order"))
    assert (plan.fiscal_year, plan.status) == (2569, "approved")
    assert [a.indicator.number for a in actions] == [4, 6, 7, 8, 10]
    assert [responsible(a) for a in actions] == [
        "กองคลัง", "All divisions", "สำนักปลัด", "สำนักปลัด", "สำนักปลัด",
    ]  # fmt: skip
    assert {period(a) for a in actions} == {"October 2025 – March 2026"}
    assert actions[0].finding.startswith("คะแนน ๙๔.๓๘")
    assert actions[0].measure == "จัดทำคู่มือหรือแนวทางการขอยืมใช้ทรัพย์สินของทางราชการอย่างชัดเจน"
    assert actions[4].item.code == "o27"
    assert plan.approved_by.username == "demo-executive"


def test_load_reference_plan_is_idempotent_and_keeps_a_plan_someone_changed(assessment_2568):
    organisation = assessment_2568.organisation
    first = load_reference_plan(organisation=organisation, assessment=assessment_2568)
    Plan.objects.filter(pk=first.pk).update(council_note="แก้โดยผู้ใช้")

    again = load_reference_plan(organisation=organisation, assessment=assessment_2568)

    assert again.pk == first.pk
    assert again.council_note == "แก้โดยผู้ใช้"
    assert again.actions.count() == 5
    assert Division.objects.filter(organisation=organisation).count() == 4
    assert Membership.objects.filter(organisation=organisation).count() == 5


def test_load_reference_plan_creates_a_user_for_each_role(assessment_2568):
    load_reference_plan(organisation=assessment_2568.organisation, assessment=assessment_2568)

    roles = {
        name: user_role(authenticate(username=name, password=DEMO_PASSWORD))
        for name in ["demo-admin", "demo-executive", "demo-finance", "demo-office", "demo-viewer"]
    }
    finance = Membership.objects.get(user__username="demo-finance")

    assert roles == {
        "demo-admin": Role.ADMINISTRATOR,
        "demo-executive": Role.SUPERVISOR,
        "demo-finance": Role.STAFF,
        "demo-office": Role.STAFF,
        "demo-viewer": Role.VIEWER,
    }
    assert finance.division.name == "กองคลัง"


def test_load_reference_plan_uses_existing_divisions(assessment_2568):
    organisation = assessment_2568.organisation
    Division.objects.create(organisation=organisation, name="กองคลัง", order=7)

    load_reference_plan(organisation=organisation, assessment=assessment_2568)

    assert Division.objects.get(organisation=organisation, name="กองคลัง").order == 7
