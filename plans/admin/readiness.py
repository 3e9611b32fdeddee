"""The OIT readiness board in the admin: scoped and role-checked like every plans admin.

Rows come from the year's framework (`readiness_open`), so items are never added or deleted
here; every save goes through `plans.readiness.services`, which validates the due date in
the fiscal year, the http(s) address and the division's organisation.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ita.admin.scoping import ScopedInline
from ita.models import Division
from plans.admin.roles import RoleScopedAdmin
from plans.readiness import services
from plans.readiness.models import ReadinessItem, ReadinessYear

LINK_FIELDS = ["link_status", "link_final_url", "link_error", "link_checked_at"]


class NoDeleteMixin:
    """A board's rows are the framework's items: deleting one would leave a gap the board
    cannot show, and deleting a year its history."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadinessItemInline(ScopedInline):
    organisation_path = "year__organisation"
    model = ReadinessItem
    extra = 0
    fields = ["item", "division", "due_date", "status", "evidence_url"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReadinessItem]:
        return super().get_queryset(request).select_related("item", "division")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadinessYearForm(forms.ModelForm):
    """A year is opened only when its framework has OIT items (the service would refuse)."""

    class Meta:
        model = ReadinessYear
        fields = ["organisation", "fiscal_year", "default_due_date"]

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        refusal = None if self.instance.pk else services.open_refusal(year)
        if refusal:
            raise ValidationError(refusal, code="no_framework")
        return year


@admin.register(ReadinessYear)
class ReadinessYearAdmin(NoDeleteMixin, RoleScopedAdmin):
    form = ReadinessYearForm
    list_display = ["fiscal_year", "organisation", "default_due_date", "created_at", "page"]
    list_filter = ["fiscal_year", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    fields = ["organisation", "fiscal_year", "default_due_date", "framework", "created_by"]
    inlines = [ReadinessItemInline]

    @admin.display(description=_("page"))
    def page(self, obj: ReadinessYear) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))

    def get_inlines(self, request: HttpRequest, obj: ReadinessYear | None) -> list[type]:
        return list(self.inlines) if obj else []  # the items come with the opened year

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The framework is the year's own (found by the service); only the due date moves.
        if obj is None:
            return ["framework", "created_by"]
        return ["organisation", "fiscal_year", "framework", "created_by"]

    def save_model(
        self, request: HttpRequest, obj: ReadinessYear, form: ModelForm, change: bool
    ) -> None:
        opened = services.readiness_open(
            organisation=obj.organisation,
            fiscal_year=obj.fiscal_year,
            default_due_date=obj.default_due_date,
            user=request.user,
        )
        obj.pk = opened.pk
        obj._state.adding = False
        obj.refresh_from_db()


@admin.register(ReadinessItem)
class ReadinessItemAdmin(NoDeleteMixin, RoleScopedAdmin):
    organisation_path = "year__organisation"
    list_display = ["item", "year", "division", "due_date", "status", "evidence_url"]
    list_filter = [
        "status",
        "year__fiscal_year",
        ("year__organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["item", "year__organisation", "division"]
    search_fields = ["item__code", "item__name_th", "evidence_url", "note"]
    fields = [
        "year",
        "item",
        "division",
        "due_date",
        "evidence_url",
        "status",
        "note",
        "updated_by",
        "updated_at",
        *LINK_FIELDS,
    ]
    readonly_fields = ["year", "item", "updated_by", "updated_at", *LINK_FIELDS]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # a year's items come from its framework (open the year instead)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "division":  # scoped by the mixin; labels name the organisation
            kwargs["queryset"] = Division.objects.select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: ReadinessItem, form: ModelForm, change: bool
    ) -> None:
        services.readiness_item_update(
            item=obj,
            change=services.ItemChange(
                status=obj.status,
                evidence_url=obj.evidence_url,
                note=obj.note,
                division=obj.division,
                due_date=obj.due_date,
                set_owner=True,
            ),
            user=request.user,
        )
