"""One scope for every admin page of an organisation's rows.

Every ModelAdmin and inline of the project mixes in `OrganisationScopedMixin` and names the
lookup from its model to the organisation (`organisation_path`). The mixin then scopes, in
one place, what Django's and django-simple-history's views would otherwise reach on their
own: the changelist and every object view (change, delete, history, a history version),
and the choices of every foreign key and many-to-many field (through the related model's
own admin, so a new model is scoped where it is registered). A row of another organisation
answers exactly as a missing row does. History versions are shown read-only, and their
"revert" is refused, unless the user may change the row as it is now and as it was then.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from ita.access import organisations_for


def organisation_id_of(obj: models.Model, path: str) -> int | None:
    """Follow `path` ("plan__organisation", "pk") from a row to its organisation's id, or
    None when a hop is not a forward foreign key (a user's memberships)."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    try:
        field = obj._meta.get_field(last)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, models.ForeignKey):
        return None
    return getattr(obj, field.attname)


class OrganisationScopedMixin:
    """Rows of the user's organisations (`ita.access.organisations_for`) only; superusers
    see all. `organisation_path` is the lookup from the model to its organisation: "pk" for
    the organisation itself, "" for rows every organisation shares (frameworks)."""

    organisation_path: str = "organisation"

    # Scope ---------------------------------------------------------------------------
    def scope_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.organisation_path or request.user.is_superuser:
            return queryset
        allowed = organisations_for(request.user).values("pk")
        return queryset.filter(**{f"{self.organisation_path}__in": allowed})

    def in_scope(self, request: HttpRequest, obj: models.Model) -> bool:
        """Whether a row (also a past version of one) belongs to the user's organisations."""
        if not self.organisation_path or request.user.is_superuser:
            return True
        organisation_id = organisation_id_of(obj, self.organisation_path)
        if organisation_id is None:  # not reachable by attributes: ask the database
            model = type(obj)._default_manager.filter(pk=obj.pk)
            return self.scope_queryset(request, model).exists()
        return organisations_for(request.user).filter(pk=organisation_id).exists()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scope_queryset(request, super().get_queryset(request))  # type: ignore[misc]

    # Choices -------------------------------------------------------------------------
    def scope_choices(
        self, request: HttpRequest, db_field: models.Field, queryset: QuerySet[Any] | None
    ) -> QuerySet[Any]:
        """A related model's rows as its own admin scopes them (unregistered: shared)."""
        related = db_field.remote_field.model
        if queryset is None:
            queryset = related._default_manager.all()
        related_admin = self.admin_site._registry.get(related)  # type: ignore[attr-defined]
        if isinstance(related_admin, OrganisationScopedMixin):
            return related_admin.scope_choices_queryset(request, queryset)
        return queryset

    def scope_choices_queryset(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> QuerySet[Any]:
        """This model's rows offered in other admins' choices; by default its own scope."""
        return self.scope_queryset(request, queryset)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self._choices(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self._choices(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _choices(
        self, request: HttpRequest, db_field: models.Field, kwargs: dict[str, Any]
    ) -> QuerySet[Any]:
        # A subclass's narrower queryset is scoped too; else the one Django would use.
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)  # type: ignore[attr-defined]
        return self.scope_choices(request, db_field, queryset)

    # Permissions ---------------------------------------------------------------------
    def revert_disabled(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # simple-history offers the revert to anyone who may view the history; only those
        # who may change this very row may revert it.
        revert_disabled = getattr(super(), "revert_disabled", None)  # a history admin's
        disabled = revert_disabled is not None and revert_disabled(request, obj)
        return disabled or not self.has_change_permission(request, obj)  # type: ignore[attr-defined]

    # History views -------------------------------------------------------------------
    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # simple-history shows a row missing from `get_queryset` from its history: another
        # organisation's row would be shown. Deleted rows' history stays for superusers.
        if not request.user.is_superuser and self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        current = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if current is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        history = self.model.history.model  # type: ignore[attr-defined]
        record = history.objects.filter(
            **{self.opts.pk.attname: current.pk, "history_id": version_id}  # type: ignore[attr-defined]
        ).first()
        if record is None:
            raise Http404
        past = record.instance
        if not self.in_scope(request, past):  # the row belonged to another organisation then
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        if request.method == "POST" and (
            self.revert_disabled(request, current) or not self.has_change_permission(request, past)  # type: ignore[attr-defined]
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]


class ScopedAdmin(OrganisationScopedMixin, SimpleHistoryAdmin):
    """A model admin with history, scoped to the user's organisations."""


class ScopedInline(OrganisationScopedMixin, admin.TabularInline):
    """An inline scoped like its admin (its choices above all)."""
