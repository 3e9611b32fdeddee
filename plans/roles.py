"""Who may do what with plans (pure: roles and division ids in, yes/no out).

Roles are Django groups with Thai names, created by a data migration; a user's organisation
and division come from `ita.models.Membership`, which may also set the role for that one
organisation (someone who supervises one organisation and is a clerk in another). Views
(through `plans.access`) and the admin ask these functions, so the permission matrix is
written down once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import IntEnum

from ita.enums import MemberRole


class Role(IntEnum):
    """Ordered by reach: a user in several groups acts with the highest one."""

    VIEWER = 1
    STAFF = 2
    SUPERVISOR = 3
    ADMINISTRATOR = 4


# The Thai group names are data (shown in the admin); these constants find the groups again.
GROUP_NAMES: dict[Role, str] = {
    Role.ADMINISTRATOR: "ผู้ดูแลระบบ",
    Role.SUPERVISOR: "ผู้บริหาร/หัวหน้างาน",
    Role.STAFF: "เจ้าหน้าที่กอง",
    Role.VIEWER: "ผู้ดูข้อมูล",
}
ROLE_OF_GROUP = {name: role for role, name in GROUP_NAMES.items()}


# A membership's role (ita.enums.MemberRole, stored on the row) as a rank, by name.
ROLE_OF_MEMBER: dict[str, Role] = {member.value: Role[member.name] for member in MemberRole}


def effective_role(
    member_role: str, group_role: Role | None, *, is_superuser: bool = False
) -> Role | None:
    """A user's role in one organisation: the membership's own role when it has one, else
    the role of the user's groups; superusers administer everything."""
    if is_superuser:
        return Role.ADMINISTRATOR
    return ROLE_OF_MEMBER.get(member_role, group_role)


def role_from_groups(group_names: Iterable[str], *, is_superuser: bool = False) -> Role | None:
    if is_superuser:
        return Role.ADMINISTRATOR
    roles = [ROLE_OF_GROUP[name] for name in group_names if name in ROLE_OF_GROUP]
    return max(roles) if roles else None


def can_view(role: Role | None) -> bool:
    return role is not None


def can_manage(role: Role | None) -> bool:
    """Create plans, draft and edit actions, assign divisions, approve, record the council."""
    return role is not None and role >= Role.SUPERVISOR


def is_responsible(
    *, user_division: int | None, action_divisions: Collection[int], all_divisions: bool
) -> bool:
    return user_division is not None and (all_divisions or user_division in action_divisions)


def can_report(
    role: Role | None,
    *,
    user_division: int | None,
    action_divisions: Collection[int],
    all_divisions: bool,
) -> bool:
    """Record progress: managers on any action, division staff on their division's only."""
    if can_manage(role):
        return True
    return role == Role.STAFF and is_responsible(
        user_division=user_division, action_divisions=action_divisions, all_divisions=all_divisions
    )


def can_cancel(role: Role | None) -> bool:
    """Cancelling an action changes the plan's promise, so it is a manager's decision."""
    return can_manage(role)
