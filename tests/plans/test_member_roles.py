"""A role given on one membership applies to that organisation only.

Somchai supervises อบต.คลองหินปูน (his membership says so) and is only a clerk in a second
organisation (his group), so he manages plans in the first and not in the second. The
reverse, a supervisors' group member made a viewer in one organisation, is checked too.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from ita.models import MemberRole, Membership, Organisation
from plans.models import Plan
from plans.roles import Role, effective_role
from tests.factories import indicator_scores_year
from tests.plans.conftest import build_plan, make_user

pytestmark = pytest.mark.django_db


def test_effective_role_prefers_the_membership_then_the_groups():
    assert effective_role("supervisor", Role.STAFF) == Role.SUPERVISOR
    assert effective_role("viewer", Role.SUPERVISOR) == Role.VIEWER
    assert effective_role("", Role.STAFF) == Role.STAFF
    assert effective_role("", None) is None
    assert effective_role("viewer", None, is_superuser=True) == Role.ADMINISTRATOR


@pytest.fixture
def second(db) -> Organisation:
    return Organisation.objects.create(name="อบต.ที่สอง", agency_type="sao", province="ตราด")


@pytest.fixture
def somchai(organisation, second):
    """A clerk by group; supervisor of Khlong Hin Pun by his membership there."""
    user = make_user("somchai", role=Role.STAFF, organisation=second, is_staff=True)
    Membership.objects.create(user=user, organisation=organisation, role=MemberRole.SUPERVISOR)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_plan", "change_plan"]))
    return user


def test_member_role_lets_him_create_plans_only_where_he_supervises(
    client, somchai, organisation, second
):
    client.force_login(somchai)

    here = client.get(reverse("plans:plan-create", args=[organisation.pk]))
    there = client.get(reverse("plans:plan-create", args=[second.pk]))

    assert here.status_code == 200
    assert there.status_code == 403


def test_member_role_viewer_overrides_a_supervisors_group(client, organisation, divisions):
    user = make_user("chief2", role=Role.SUPERVISOR, organisation=organisation)
    Membership.objects.filter(user=user).update(role=MemberRole.VIEWER)
    plan = build_plan(organisation.assessments.get(), divisions)
    client.force_login(user)

    detail = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    create = client.get(reverse("plans:plan-create", args=[organisation.pk]))

    assert detail.status_code == 200
    assert create.status_code == 403


def test_report_page_edit_link_follows_the_role_in_that_organisation(
    client, somchai, organisation, second
):
    indicator_scores_year(second, 2568, ["90.00"] * 10, overall="90.00")
    client.force_login(somchai)
    edit_here = reverse("documents:narratives-edit", args=[organisation.pk, 2568])
    edit_there = reverse("documents:narratives-edit", args=[second.pk, 2568])

    here = client.get(reverse("documents:report", args=[organisation.pk, 2568]))
    there = client.get(reverse("documents:report", args=[second.pk, 2568]))

    assert edit_here in here.content.decode()
    assert edit_there not in there.content.decode()


def test_admin_changes_plans_only_where_the_member_role_allows(
    client, somchai, organisation, second, divisions
):
    mine = build_plan(organisation.assessments.get(), divisions)
    assessment = indicator_scores_year(second, 2568, ["90.00"] * 10, overall="90.00")
    theirs = Plan.objects.create(organisation=second, assessment=assessment, fiscal_year=2569)
    client.force_login(somchai)

    editable = client.get(reverse("admin:plans_plan_change", args=[mine.pk]))
    read_only = client.get(reverse("admin:plans_plan_change", args=[theirs.pk]))
    refused = client.post(
        reverse("admin:plans_plan_change", args=[theirs.pk]),
        {"organisation": second.pk, "fiscal_year": 2570},
    )

    assert editable.context["has_change_permission"] is True
    assert read_only.context["has_change_permission"] is False
    assert refused.status_code == 403
    theirs.refresh_from_db()
    assert theirs.fiscal_year == 2569


def test_a_role_for_one_organisation_never_edits_the_shared_standard_measures(client, organisation):
    measure_permissions = Permission.objects.filter(content_type__model="measuretemplate")
    local = make_user("local-admin", role=None, organisation=organisation, is_staff=True)
    Membership.objects.filter(user=local).update(role=MemberRole.ADMINISTRATOR)
    group_admin = make_user(
        "group-admin", role=Role.ADMINISTRATOR, organisation=organisation, is_staff=True
    )
    for user in (local, group_admin):
        user.user_permissions.add(*measure_permissions)
    url = reverse("admin:plans_measuretemplate_add")

    client.force_login(local)
    refused = client.get(url)
    client.force_login(group_admin)
    allowed = client.get(url)

    assert refused.status_code == 403
    assert allowed.status_code == 200  # the administrators' group does edit them
