"""Roles in the plans admin: a user's role in each organisation, read once per request.

Every plans admin scopes its rows like the rest of the admin (`ita.admin.scoping`); on top,
changes need a supervisor's role in the row's organisation, exactly as on the plans pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ita.admin.scoping import OrganisationScopedMixin, organisation_id_of
from ita.models import Assessment, Membership, Organisation
from plans import roles
from plans.access import user_role
from plans.roles import Role


def _group_role(request: HttpRequest) -> Role | None:
    """The role of the user's groups, read once per request (the admin asks many times)."""
    if not hasattr(request, "_plans_group_role"):
        request._plans_group_role = user_role(request.user)  # type: ignore[attr-defined]
    return request._plans_group_role  # type: ignore[attr-defined]


def _roles(request: HttpRequest) -> dict[int, Role | None]:
    """The user's role in each of their organisations (`plans.roles.effective_role`)."""
    if not hasattr(request, "_plans_roles"):
        if not (request.user.is_authenticated and request.user.is_active):
            return {}  # the admin's login page asks too
        group_role = _group_role(request)
        request._plans_roles = {  # type: ignore[attr-defined]
            organisation_id: roles.effective_role(
                member_role, group_role, is_superuser=request.user.is_superuser
            )
            for organisation_id, member_role in Membership.objects.filter(
                user=request.user
            ).values_list("organisation_id", "role")
        }
    return request._plans_roles  # type: ignore[attr-defined]


def _role(request: HttpRequest) -> Role | None:
    """The user's highest role in any organisation: whether a plans screen shows at all."""
    if request.user.is_superuser:
        return Role.ADMINISTRATOR
    found = [role for role in _roles(request).values() if role is not None]
    return max(found) if found else _group_role(request)


def _managed(request: HttpRequest) -> list[int]:
    """The organisations where the user may change plans."""
    return [pk for pk, role in _roles(request).items() if roles.can_manage(role)]


def _is_administrator(request: HttpRequest) -> bool:
    """Installation-wide administration (shared standard measures): superusers and the
    administrators' group, never a role given for one organisation."""
    return request.user.is_superuser or _group_role(request) == Role.ADMINISTRATOR


class RoleScopedMixin(OrganisationScopedMixin):
    """Rows of the user's organisations only; changes need a supervisor's role *in the row's
    organisation* as well as the model permission, exactly as on the plans pages."""

    def _role_for(self, request: HttpRequest, obj: Model | None) -> Role | None:
        if obj is None or not self.organisation_path or request.user.is_superuser:
            return _role(request)
        return _roles(request).get(organisation_id_of(obj, self.organisation_path))  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return roles.can_view(_role(request)) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return roles.can_view(self._role_for(request, obj)) and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return roles.can_manage(_role(request)) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return roles.can_manage(self._role_for(request, obj)) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return roles.can_manage(self._role_for(request, obj)) and super().has_delete_permission(
            request, obj
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Beyond the scope of every choice (the mixin): no organisation where the user may
        # only look.
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=_managed(request))
        elif db_field.name == "assessment":
            assessments = Assessment.objects.select_related("organisation", "framework")
            if not request.user.is_superuser:
                assessments = assessments.filter(organisation__in=_managed(request))
            kwargs["queryset"] = assessments
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class RoleScopedAdmin(RoleScopedMixin, SimpleHistoryAdmin):
    """A plans model admin with history: scoped, and changed by supervisors."""
