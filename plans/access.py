"""The one access helper of the plans pages: organisation, role and division of a request.

Built on `ita.access`: an organisation the user is not a member of is a 404 (it does not
exist for them); a member without the needed role is a 403. The role is the membership's
own role for that organisation, or else the role of the user's groups (`plans.roles`); the
division comes from the membership too.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ita.access import organisation_for, request_membership
from ita.models import Division, Membership, Organisation
from plans import roles
from plans.roles import Role


@dataclass(frozen=True)
class PlanAccess:
    organisation: Organisation
    role: Role | None
    membership: Membership | None

    @property
    def division_id(self) -> int | None:
        return self.membership.division_id if self.membership else None

    @property
    def division(self) -> Division | None:
        """Loaded on use (one query): most pages need only its id."""
        return self.membership.division if self.membership else None

    @property
    def can_view(self) -> bool:
        return roles.can_view(self.role)

    @property
    def can_manage(self) -> bool:
        return roles.can_manage(self.role)

    @property
    def can_cancel(self) -> bool:
        return roles.can_cancel(self.role)

    def can_report(self, *, division_ids: Collection[int], all_divisions: bool) -> bool:
        return roles.can_report(
            self.role,
            user_division=self.division_id,
            action_divisions=division_ids,
            all_divisions=all_divisions,
        )

    def require_view(self) -> PlanAccess:
        if not self.can_view:
            raise PermissionDenied("No plans role.")
        return self

    def require_manage(self) -> PlanAccess:
        if not self.can_manage:
            raise PermissionDenied("Supervisors only.")
        return self

    def require_report(self, *, division_ids: Collection[int], all_divisions: bool) -> PlanAccess:
        if not self.can_report(division_ids=division_ids, all_divisions=all_divisions):
            raise PermissionDenied("Not this division's action.")
        return self


def user_role(user: object) -> Role | None:
    """The user's role from their groups (one query, none for superusers)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:  # type: ignore[attr-defined]
        return Role.ADMINISTRATOR
    names = user.groups.values_list("name", flat=True)  # type: ignore[attr-defined]
    return roles.role_from_groups(names)


def role_in(user: object, membership: Membership | None) -> Role | None:
    """The user's role in the membership's organisation (one query for the groups, none when
    the membership names a role or the user is a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return None
    member_role = membership.role if membership else ""
    if user.is_superuser or member_role:  # type: ignore[attr-defined]
        return roles.effective_role(member_role, None, is_superuser=user.is_superuser)  # type: ignore[attr-defined]
    return user_role(user)


def plan_access(request: HttpRequest, organisation_id: int | None = None) -> PlanAccess:
    """Resolve the organisation (404 when not the user's), then the role and division.

    With no id the organisation last opened in the session is used (the nav links have no
    organisation in them). Two queries: organisations with the membership, groups (one when the
    membership names the role).
    """
    organisation = organisation_for(request, organisation_id, membership=True)
    membership = request_membership(request)
    return PlanAccess(
        organisation=organisation,
        role=role_in(request.user, membership),
        membership=membership,
    )
