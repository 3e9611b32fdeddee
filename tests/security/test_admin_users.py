"""The scoped user admin (`plans.admin.users`): an organisation's administrator manages its
own members only, and can give no more than it holds."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from ita.models import Membership
from plans.roles import GROUP_NAMES, Role
from tests.security.admin_sweep import World, world_build
from tests.security.conftest import user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world(demo, stranger) -> World:
    return world_build(demo, stranger)


def _change_data(target, **changes) -> dict:
    data = {
        "username": target.username,
        "first_name": target.first_name,
        "last_name": "",
        "email": target.email,
        "is_active": "on",
        "groups": [str(g.pk) for g in target.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


def test_user_admin_lists_only_members_of_the_administered_organisation(client, world):
    client.force_login(user("demo-admin"))

    response = client.get(reverse("admin:auth_user_changelist"))

    listed = {u.username for u in response.context["cl"].result_list}
    body = response.content.decode()
    assert "demo-office" in listed
    assert not listed & {"stranger", "other-clerk", "nobody", "demo"}
    assert "clerk@other.example.org" not in body
    assert "stranger@other.example.org" not in body


def test_user_admin_another_organisations_user_answers_as_missing(client, world):
    other_clerk = User.objects.get(username="other-clerk")
    client.force_login(user("demo-admin"))

    change = client.get(reverse("admin:auth_user_change", args=[other_clerk.pk]))
    password = client.post(
        reverse("admin:auth_user_password_change", args=[other_clerk.pk]),
        {"password1": "Taken-over-1234", "password2": "Taken-over-1234"},
    )

    assert change.status_code == 302
    assert change["Location"] == reverse("admin:index")
    assert password.status_code == 404
    assert not User.objects.get(pk=other_clerk.pk).check_password("Taken-over-1234")


def test_user_admin_administrator_cannot_make_itself_superuser(client, world):
    me = user("demo-admin")
    client.force_login(me)
    url = reverse("admin:auth_user_change", args=[me.pk])

    page = client.get(url)
    client.post(url, _change_data(me, is_superuser="on", user_permissions=["1"]))

    me.refresh_from_db()
    assert "is_superuser" not in page.context["adminform"].form.fields
    assert "user_permissions" not in page.context["adminform"].form.fields
    assert me.is_superuser is False
    assert me.user_permissions.count() == 0


def test_user_admin_groups_are_only_the_role_groups_up_to_the_administrators_role(client, world):
    Group.objects.create(name="ทุกสิทธิ์")
    office = user("demo-office")
    client.force_login(user("demo-admin"))

    form = client.get(reverse("admin:auth_user_change", args=[office.pk])).context["adminform"].form

    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == set(
        GROUP_NAMES.values()
    )


def test_user_admin_cannot_change_a_superuser_member(client, world):
    root = User.objects.create_superuser("root-member", "root@example.org", "x")
    Membership.objects.create(user=root, organisation=world.own)
    client.force_login(user("demo-admin"))
    url = reverse("admin:auth_user_change", args=[root.pk])

    response = client.post(url, _change_data(root, email="mine@example.org"))

    assert response.status_code == 403
    assert User.objects.get(pk=root.pk).email == "root@example.org"


def test_user_admin_cannot_change_a_member_of_another_organisation_too(client, world):
    office = user("demo-office")
    Membership.objects.create(user=office, organisation=world.other)
    client.force_login(user("demo-admin"))

    response = client.post(
        reverse("admin:auth_user_change", args=[office.pk]),
        _change_data(office, email="moved@example.org"),
    )

    assert response.status_code == 403
    assert User.objects.get(pk=office.pk).email == "demo-office@example.org"


def test_user_admin_changes_an_own_member_within_its_role(client, world):
    office = user("demo-office")
    viewer_group = Group.objects.get(name=GROUP_NAMES[Role.VIEWER])
    client.force_login(user("demo-admin"))

    response = client.post(
        reverse("admin:auth_user_change", args=[office.pk]),
        _change_data(office, email="office@khp.example.org", groups=[str(viewer_group.pk)]),
    )

    office.refresh_from_db()
    assert response.status_code == 302
    assert office.email == "office@khp.example.org"
    assert list(office.groups.all()) == [viewer_group]


def test_user_admin_added_user_becomes_a_member_of_the_chosen_organisation(client, world):
    client.force_login(user("demo-admin"))
    url = reverse("admin:auth_user_add")

    page = client.get(url)
    refused = client.post(
        url, {"username": "new-clerk", "usable_password": "false", "organisation": world.other.pk}
    )
    response = client.post(
        url, {"username": "new-clerk", "usable_password": "false", "organisation": world.own.pk}
    )

    assert list(page.context["adminform"].form.fields["organisation"].queryset) == [world.own]
    assert "organisation" in refused.context["adminform"].form.errors
    assert response.status_code == 302
    created = User.objects.get(username="new-clerk")
    assert list(created.memberships.values_list("organisation", flat=True)) == [world.own.pk]
    assert created.is_superuser is False


def test_user_admin_superuser_keeps_the_full_user_admin(client, world):
    client.force_login(user("demo"))

    listed = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    form = (
        client.get(reverse("admin:auth_user_change", args=[user("stranger").pk]))
        .context["adminform"]
        .form
    )

    assert {"stranger", "other-clerk", "nobody", "demo"} <= {u.username for u in listed}
    assert {"is_superuser", "user_permissions"} <= set(form.fields)


def test_user_admin_supervisors_and_clerks_see_no_users_page(client, world):
    statuses = {}

    for username in ("demo-executive", "demo-finance", "stranger", "nobody"):
        client.force_login(user(username))
        statuses[username] = client.get(reverse("admin:auth_user_changelist")).status_code

    assert statuses == dict.fromkeys(statuses, 403)
