"""Users and groups in the admin, scoped to the organisations a user administers.

Django's own UserAdmin lets anyone with `auth.change_user` list every user of the
installation and make anyone (themselves too) a superuser. Here an organisation's
administrator lists, adds and changes only members of the organisations it administers,
never a superuser nor a member of another organisation, and may give only the role groups
up to its own role: no superuser flag, no single permissions. Superusers keep the full admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
)
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ita.access import organisations_for
from ita.admin.scoping import OrganisationScopedMixin
from ita.models import Membership, Organisation
from plans.admin.labels import permission_label, permission_list
from plans.admin.roles import _roles
from plans.roles import GROUP_NAMES, Role


def administered(request: HttpRequest) -> list[int]:
    """The organisations where the user holds the administrator's role."""
    return [pk for pk, role in _roles(request).items() if role == Role.ADMINISTRATOR]


def _members_of(organisations: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation__in=organisations).values("user")


class MemberCreationForm(AdminUserCreationForm):
    """A new user is a member of one of the administrator's organisations from the start
    (otherwise the administrator could not see the user it has just added)."""

    organisation = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The new user becomes a member of this organisation."),
    )


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django writes this warning in English, outside gettext.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class ScopedUserAdmin(OrganisationScopedMixin, UserAdmin):
    organisation_path = "memberships__organisation"
    change_password_form = PasswordChangeForm
    member_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    member_add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "usable_password",
                    "password1",
                    "password2",
                    "organisation",
                ),
            },
        ),
    )

    # Scope: listed and changed, members of the administered organisations; offered in
    # other admins' choices (a membership's user), members of the user's organisations.
    def scope_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=_members_of(administered(request)))

    def scope_choices_queryset(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> QuerySet[Any]:
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=_members_of(organisations_for(request.user).values("pk")))

    def _administers(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request))

    def _may_change(self, request: HttpRequest, obj: User | None) -> bool:
        if request.user.is_superuser or obj is None:
            return self._administers(request)
        # A member of another organisation too would lose or gain access there as well.
        theirs = set(obj.memberships.values_list("organisation_id", flat=True))
        mine = set(administered(request))
        return not obj.is_superuser and bool(theirs) and theirs <= mine

    # Permissions: the model permission and, for non-superusers, the administrator's role.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and self._administers(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._administers(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._administers(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    # Forms: no superuser flag, no single permissions, role groups up to the user's own.
    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.member_fieldsets if obj else self.member_add_fieldsets

    def get_list_filter(self, request: HttpRequest) -> Any:
        if request.user.is_superuser:
            return super().get_list_filter(request)
        return ("is_staff", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser or obj is None:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = MemberCreationForm
        form = super().get_form(request, obj, **kwargs)
        if "organisation" in form.base_fields:
            form.base_fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=administered(request)
            )
        return form

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            held = max((r for r in _roles(request).values() if r is not None), default=None)
            names = [name for role, name in GROUP_NAMES.items() if held and role <= held]
            kwargs["queryset"] = Group.objects.filter(name__in=names)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "user_permissions":
            field.label_from_instance = permission_label
        return field

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        organisation = form.cleaned_data.get("organisation")
        if not change and organisation is not None:
            membership = Membership(user=obj, organisation=organisation)
            membership.full_clean()
            membership.save()  # inside the admin's transaction, with the user


class SharedGroupAdmin(OrganisationScopedMixin, GroupAdmin):
    organisation_path = ""  # the role groups are the same for every organisation

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field

    def get_fieldsets(self, request: HttpRequest, obj: Group | None = None) -> Any:
        # Read-only, Django would print each permission's stored English name.
        if obj is not None and not self.has_change_permission(request, obj):
            return [(None, {"fields": ["name", "permission_labels"]})]
        return super().get_fieldsets(request, obj)

    @admin.display(description=_("permissions"))
    def permission_labels(self, obj: Group) -> str:
        return linebreaksbr(permission_list(obj.permissions.select_related("content_type")))


for model, model_admin in ((User, ScopedUserAdmin), (Group, SharedGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
