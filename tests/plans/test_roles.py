from __future__ import annotations

import pytest

from plans import roles
from plans.roles import GROUP_NAMES, Role


def test_role_from_groups_takes_the_highest_role():
    names = [GROUP_NAMES[Role.VIEWER], GROUP_NAMES[Role.SUPERVISOR], "some other group"]

    assert roles.role_from_groups(names) == Role.SUPERVISOR


def test_role_from_groups_without_a_role_group_is_none_and_superuser_is_administrator():
    assert roles.role_from_groups(["editors"]) is None
    assert roles.role_from_groups([], is_superuser=True) == Role.ADMINISTRATOR


@pytest.mark.parametrize(
    ("role", "division", "divisions", "everyone", "allowed"),
    [
        (Role.STAFF, 2, {2}, False, True),
        (Role.STAFF, 2, {1, 3}, False, False),
        (Role.STAFF, 2, set(), True, True),  # ทุกกอง
        (Role.STAFF, None, set(), True, False),  # staff without a division
        (Role.VIEWER, 2, {2}, False, False),
        (Role.SUPERVISOR, None, {1}, False, True),
        (Role.ADMINISTRATOR, None, set(), False, True),
        (None, 2, {2}, False, False),
    ],
)
def test_can_report_only_on_own_division_for_staff(role, division, divisions, everyone, allowed):
    result = roles.can_report(
        role, user_division=division, action_divisions=divisions, all_divisions=everyone
    )

    assert result is allowed


def test_can_manage_and_can_cancel_need_a_supervisor():
    assert [roles.can_manage(r) for r in (None, *Role)] == [False, False, False, True, True]
    assert roles.can_cancel(Role.STAFF) is False
