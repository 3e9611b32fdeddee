"""The admin's one organisation scope (`ita.admin.scoping`): history views, version forms
and choices, as the sweep's personas."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ita.models import Membership, Organisation
from plans.models import Action, Division, ProgressReport
from tests.security.admin_sweep import OTHER_MARK, World, world_build
from tests.security.conftest import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo, stranger) -> World:
    return world_build(demo, stranger)


def _oldest_version(row) -> int:
    return row.history.order_by("history_id").values_list("history_id", flat=True)[0]


def test_admin_history_of_another_organisation_answers_as_a_missing_row(client, world):
    client.force_login(user("demo-executive"))
    other = world.other

    history = client.get(reverse("admin:ita_organisation_history", args=[other.pk]))
    version = client.get(
        reverse("admin:ita_organisation_simple_history", args=[other.pk, _oldest_version(other)])
    )
    missing = client.get(reverse("admin:ita_organisation_history", args=[987654]))

    assert history.status_code == version.status_code == missing.status_code == 302
    assert history["Location"] == version["Location"] == missing["Location"]
    assert other.name not in history.content.decode() + version.content.decode()


def test_admin_version_form_refuses_a_revert_posted_by_another_organisation(client, world):
    other = world.other
    url = reverse("admin:ita_organisation_simple_history", args=[other.pk, _oldest_version(other)])
    client.force_login(user("demo-admin"))  # may change organisations, but not this one

    response = client.post(url, {"name": "เปลี่ยนชื่อ", "agency_type": other.agency_type})

    assert response.status_code == 302
    assert Organisation.objects.get(pk=other.pk).name == other.name


def test_admin_version_form_is_read_only_without_change_rights(client, world):
    membership = Membership.objects.get(user__username="demo-finance")
    url = reverse(
        "admin:ita_membership_simple_history", args=[membership.pk, _oldest_version(membership)]
    )
    client.force_login(user("demo-executive"))  # views memberships, may not change them

    page = client.get(url)
    response = client.post(url, {"user": membership.user_id, "organisation": world.other.pk})

    assert page.context["revert_disabled"] is True
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).organisation == world.own


def test_admin_version_form_of_a_read_only_report_refuses_a_post(client, world):
    report = ProgressReport.objects.filter(action__plan__organisation=world.own).get()
    url = reverse(
        "admin:plans_progressreport_simple_history", args=[report.pk, _oldest_version(report)]
    )
    # The sweep's own action, after the demo's plans of that organisation.
    foreign_action = Action.objects.filter(plan__organisation=world.other).order_by("-pk")[0]
    client.force_login(user("demo-admin"))

    response = client.post(url, {"action": foreign_action.pk, "percent": 90, "text": "ย้าย"})

    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).action.plan.organisation == world.own


def test_admin_version_form_of_an_approved_plans_action_refuses_a_post(client, world):
    action = Action.objects.filter(plan__organisation=world.own).order_by("pk")[0]
    url = reverse("admin:plans_action_simple_history", args=[action.pk, _oldest_version(action)])
    client.force_login(user("demo-executive"))  # a supervisor, but the plan is approved

    response = client.post(url, {"measure": "แก้ผ่านประวัติ"})

    assert action.plan.is_frozen
    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).measure == action.measure


def test_admin_version_form_choices_name_only_the_users_organisation(client, world):
    membership = Membership.objects.get(user__username="demo-finance")
    url = reverse(
        "admin:ita_membership_simple_history", args=[membership.pk, _oldest_version(membership)]
    )
    client.force_login(user("demo-admin"))

    form = client.get(url).context["adminform"].form

    assert list(form.fields["organisation"].queryset) == [world.own]
    assert OTHER_MARK not in {d.name for d in form.fields["division"].queryset}
    assert "other-clerk" not in {u.username for u in form.fields["user"].queryset}
    assert set(form.fields["division"].queryset) == set(
        Division.objects.filter(organisation=world.own)
    )


def test_admin_action_divisions_offer_only_the_organisations_own(client, world):
    client.force_login(user("demo-executive"))

    form = client.get(reverse("admin:plans_action_add")).context["adminform"].form

    assert {d.organisation_id for d in form.fields["divisions"].queryset} == {world.own.pk}
    assert {p.organisation_id for p in form.fields["plan"].queryset} <= {world.own.pk}


def test_admin_superuser_still_sees_every_organisations_history(client, world):
    client.force_login(user("demo"))

    response = client.get(reverse("admin:ita_organisation_history", args=[world.other.pk]))

    assert world.other.name in response.content.decode()
