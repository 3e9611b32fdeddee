"""The one access helper of the plans pages: organisation, role and division of a request.

Built on `ita.access`: an organisation the user is not a member of is a 404 (it does not
exist for them); a member without the needed role is a 403. The role comes from the user's
groups (`plans.roles`), the division from their membership of that organisation.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ita.access import organisation_for
from ita.models import Membership, Organisation
from plans import roles
from plans.models import Division
from plans.roles import Role


@dataclass(frozen=True)
class PlanAccess:
    organisation: Organisation
    role: Role | None
    division: Division | None

    @property
    def division_id(self) -> int | None:
        return self.division.pk if self.division else None

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


def plan_access(request: HttpRequest, organisation_id: int | None = None) -> PlanAccess:
    """Resolve the organisation (404 when not the user's), then the role and division.

    With no id the organisation last opened in the session is used (the nav links have no
    organisation in them). Three queries: organisations, groups, membership.
    """
    organisation = organisation_for(request, organisation_id)
    membership = (
        Membership.objects.filter(user=request.user, organisation=organisation)
        .select_related("division")
        .first()
    )
    return PlanAccess(
        organisation=organisation,
        role=user_role(request.user),
        division=membership.division if membership else None,
    )
