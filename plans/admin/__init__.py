from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ita.admin.scoping import ScopedInline
from plans import services
from plans.admin.roles import (
    RoleScopedAdmin,
    RoleScopedMixin,
    _is_administrator,
)
from plans.models import (
    Action,
    Division,
    Evidence,
    MeasureTemplate,
    Notification,
    Plan,
    PlanRevision,
    ProgressReport,
)
from plans.queries import snapshot_actions


class ReadOnlyMixin:
    """Records made by the plans pages: shown, never typed in here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Deleting would bypass the services (evidence files, the action's status).
        return False


@admin.register(Division)
class DivisionAdmin(RoleScopedAdmin):
    list_display = ["name", "organisation", "order", "is_active"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]


@admin.register(MeasureTemplate)
class MeasureTemplateAdmin(RoleScopedAdmin):
    organisation_path = ""  # shared by every organisation

    # Every organisation's drafting uses these, so only administrators change them.
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_administrator(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_administrator(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_administrator(request) and super().has_delete_permission(request, obj)

    list_display = ["indicator_number", "item_code", "measure", "is_active"]
    list_filter = ["family", "indicator_number", "is_active"]
    search_fields = ["measure", "issue", "steps"]


class ActionInline(ScopedInline):
    organisation_path = "plan__organisation"
    model = Action
    extra = 0
    fields = ["order", "indicator", "measure", "start_month", "end_month", "status"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Action]:
        return super().get_queryset(request).select_related("indicator")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class RevisionInline(ScopedInline):
    organisation_path = "plan__organisation"
    model = PlanRevision
    extra = 0
    fields = ["number", "approved_by", "approved_at", "council_date", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(RoleScopedAdmin):
    """Plans are created here or on the plans pages; approval and council are on the pages."""

    list_display = ["fiscal_year", "organisation", "status", "revision", "approved_at", "page"]
    list_filter = ["status", "fiscal_year", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    inlines = [ActionInline, RevisionInline]
    workflow_fields = [
        "status",
        "revision",
        "revision_reason",
        "approved_by",
        "approved_at",
        "council_date",
        "council_note",
        "created_by",
        "created_at",
    ]

    @admin.display(description=_("page"))
    def page(self, obj: Plan) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))

    def get_readonly_fields(self, request: HttpRequest, obj: Plan | None = None) -> list[str]:
        if obj is None:
            return self.workflow_fields
        return ["organisation", "assessment", "fiscal_year", *self.workflow_fields]

    def save_model(self, request: HttpRequest, obj: Plan, form: ModelForm, change: bool) -> None:
        if change:
            return  # nothing is editable here once created
        obj.pk = services.plan_create(
            organisation=obj.organisation,
            assessment=obj.assessment,
            fiscal_year=obj.fiscal_year,
            user=request.user,
        ).pk
        obj._state.adding = False
        obj.refresh_from_db()


@admin.register(Action)
class ActionAdmin(RoleScopedAdmin):
    organisation_path = "plan__organisation"
    list_display = ["__str__", "plan", "status", "all_divisions", "end_month"]
    list_filter = [
        "status",
        "plan__fiscal_year",
        ("plan__organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["plan__organisation", "indicator"]
    search_fields = ["measure", "finding"]
    fields = [
        "plan",
        "order",
        "indicator",
        "question",
        "item",
        "finding",
        "measure",
        "steps",
        "start_month",
        "end_month",
        "divisions",
        "all_divisions",
        "status",
    ]
    readonly_fields = ["status"]  # moved by progress reports
    filter_horizontal = ["divisions"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        if "order" in form.base_fields:
            form.base_fields["order"].required = False  # empty: after the last action
        return form

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # An approved plan's actions are frozen here as on the pages.
        frozen = isinstance(obj, Action) and obj.plan.is_frozen
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        frozen = isinstance(obj, Action) and obj.plan.is_frozen
        return not frozen and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "plan" and not request.user.is_superuser:  # scoped by the mixin
            kwargs["queryset"] = Plan.objects.filter(status="draft").select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "divisions":  # scoped by the mixin; labels name the organisation
            kwargs["queryset"] = Division.objects.select_related("organisation")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Action, form: ModelForm, change: bool) -> None:
        content = {name: getattr(obj, name) for name in services.ACTION_CONTENT_FIELDS}
        if change:
            services.action_update(action=obj, **content)
            return
        obj.pk = services.action_create(plan=obj.plan, **content).pk
        obj._state.adding = False
        obj.refresh_from_db()  # the admin goes on with this object (divisions, history)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        services.action_assign(
            action=form.instance,
            divisions=form.cleaned_data["divisions"],
            all_divisions=form.cleaned_data["all_divisions"],
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class EvidenceInline(ScopedInline):
    organisation_path = "report__action__plan__organisation"
    model = Evidence
    extra = 0
    fields = ["download", "size", "link"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("file"))
    def download(self, obj: Evidence) -> str:
        if not obj.file:
            return "—"
        url = reverse("plans:evidence-download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, RoleScopedAdmin):
    organisation_path = "action__plan__organisation"
    list_display = ["reported_on", "action", "percent", "division", "created_by"]
    list_filter = [
        "reported_on",
        ("action__plan__organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["action__indicator", "division", "created_by"]
    inlines = [EvidenceInline]


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyMixin, RoleScopedMixin, admin.ModelAdmin):
    organisation_path = "plan__organisation"
    list_display = ["plan", "number", "approved_by", "approved_at", "council_date"]
    list_select_related = ["plan__organisation", "approved_by"]
    # The stored snapshot as the plan's table with Thai headings, not its JSON keys.
    fields = ["plan", "number", "reason", "approved_by", "approved_at", "council_date"]
    fields += ["approved_content"]
    readonly_fields = ["approved_content"]

    @admin.display(description=_("approved content"))
    def approved_content(self, obj: PlanRevision) -> str:
        context = {
            "revision": obj,
            "snapshot": obj.snapshot,
            "actions": snapshot_actions(obj.snapshot),
        }
        return render_to_string("admin/plans/planrevision/includes/snapshot.html", context)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, RoleScopedMixin, admin.ModelAdmin):
    organisation_path = "action__plan__organisation"
    list_display = ["created_at", "sent_at", "kind", "action", "division", "recipients", "attempts"]
    list_filter = ["kind"]
    list_select_related = ["action__indicator", "division"]


from plans.admin import readiness, users  # noqa: E402, F401  (registers the readiness, user and group admins)
