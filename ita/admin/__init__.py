"""Data entry for frameworks and published results, in Thai."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from ita.admin.frameworks import FrameworkFilesMixin
from ita.admin.scoping import ScopedAdmin, ScopedInline
from ita.admin.sheets import AssessmentSheetsMixin
from ita.bilingual import bilingual
from ita.forms import (
    AssessmentHeaderForm,
    AssessmentResultsForm,
    check_rows,
    mismatch_labels,
    results_form_class,
)
from ita.models import (
    Assessment,
    Channel,
    Framework,
    Indicator,
    Item,
    Membership,
    Organisation,
    Question,
    RatingBand,
    Tool,
)
from ita.paste import paste_messages, paste_targets
from ita.queries import assessments_for_scoring, framework_lookup, scores_for
from ita.results import ResultSet
from ita.scoring import AssessmentScores
from ita.services import framework_copy, results_save
from ita.thai import format_score


class ToolInline(ScopedInline):
    organisation_path = ""  # a framework's rows are shared by every organisation
    model = Tool
    extra = 0
    fields = ["order", "code", "name_th", "name_en", "weight", "aggregation"]
    show_change_link = True  # a tool's score channels (EIT public/survey) are on its page

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tool]:
        return super().get_queryset(request).select_related("framework")  # for str(tool)


class RatingBandInline(ScopedInline):
    organisation_path = ""  # a framework's rows are shared by every organisation
    model = RatingBand
    extra = 0
    fields = ["order", "label", "min_overall", "min_each_tool", "passes"]


class IndicatorInline(ScopedInline):
    organisation_path = ""  # a framework's rows are shared by every organisation
    model = Indicator
    extra = 0
    fields = ["number", "name_th", "name_en", "tool"]
    show_change_link = True  # questions and OIT items are edited on the indicator's page

    def get_formset(
        self, request: HttpRequest, obj: Framework | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        tool = formset.form.base_fields.get("tool")
        if isinstance(tool, forms.ModelChoiceField):
            # Only this year's tools, read once for every row's select (not once per row).
            tool.queryset = Tool.objects.filter(framework=obj).select_related("framework")
            tool.choices = tuple(iter(tool.choices))  # iter(): no COUNT query first
            for icon in ("add", "change", "delete", "view"):
                setattr(tool.widget, f"can_{icon}_related", False)  # tools are edited above
        return formset


class FrameworkCopyForm(forms.Form):
    """The new fiscal year (and name) of a framework copy; the next year by default."""

    fiscal_year = forms.IntegerField(
        label=_("new fiscal year (B.E.)"), min_value=2550, max_value=2700
    )
    name = forms.CharField(label=_("framework name"), max_length=200)

    def __init__(self, *args: Any, source: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = source.fiscal_year + 1
        self.fields["fiscal_year"].initial = year
        self.fields["name"].initial = source.name.replace(str(source.fiscal_year), str(year))

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        if Framework.objects.filter(fiscal_year=year).exists():
            raise ValidationError(
                bilingual(gettext_noop("Fiscal year %(year)s already has a framework."), year=year)
            )
        return year


@admin.register(Framework)
class FrameworkAdmin(FrameworkFilesMixin, ScopedAdmin):
    organisation_path = ""  # one framework a year, for every organisation
    list_display = ["fiscal_year", "name", "family", "status"]
    list_filter = ["status"]
    search_fields = ["name", "fiscal_year"]
    inlines = [ToolInline, RatingBandInline, IndicatorInline]

    class Media:
        css = {"all": ["ita/admin.css"]}

    def get_inlines(self, request: HttpRequest, obj: Framework | None) -> list[type]:
        # An indicator needs its tool: indicators come once the year and its tools are saved.
        return list(self.inlines) if obj else [ToolInline, RatingBandInline]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.copy_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_copy"
        return [path("<int:object_id>/copy/", view, name=name), *super().get_urls()]

    def copy_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Start next year's framework from this one (ita.services.framework_copy)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        source = self.get_object(request, str(object_id))
        if source is None:
            raise Http404
        form = FrameworkCopyForm(request.POST or None, source=source)
        if request.method == "POST" and form.is_valid():
            try:
                copied = framework_copy(source=source, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    gettext("Fiscal year %(year)s was copied to %(new)s: check what changed.")
                    % {"year": source.fiscal_year, "new": copied.fiscal_year},
                )
                return HttpResponseRedirect(reverse("admin:ita_framework_change", args=[copied.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": source,
            "form": form,
            "title": gettext("Copy to a new fiscal year"),
        }
        return TemplateResponse(request, "admin/ita/framework/copy.html", context)


class ChannelInline(ScopedInline):
    organisation_path = ""  # a framework's rows are shared by every organisation
    model = Channel
    extra = 0


@admin.register(Tool)
class ToolAdmin(ScopedAdmin):
    organisation_path = ""
    list_display = ["code", "framework", "weight", "aggregation"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    inlines = [ChannelInline]


class QuestionInline(ScopedInline):
    organisation_path = ""  # a framework's rows are shared by every organisation
    model = Question
    extra = 0
    fields = ["code", "order", "theme", "text"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class ItemInline(ScopedInline):
    organisation_path = ""  # a framework's rows are shared by every organisation
    model = Item
    extra = 0
    fields = [
        "code",
        "order",
        "sub_indicator",
        "title",
        "title_known",
        "data_year",
        "document_role",
    ]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    organisation_path = ""
    list_display = ["number", "name_th", "tool", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework", "tool__framework"]
    inlines = [QuestionInline, ItemInline]

    class Media:
        css = {"all": ["ita/admin.css"]}

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "tool":
            # A tool's label names its year.
            kwargs["queryset"] = Tool.objects.select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "agency_type", "district", "province"]
    list_filter = ["agency_type", "province"]
    search_fields = ["name", "district", "province"]
    # Members see their organisations only (ita.access), here, in every organisation choice
    # and in the assessment page's organisation search.
    organisation_path = "pk"


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Who works for which organisation (and division): every page's access follows it."""

    list_display = ["user", "organisation", "division", "role"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "organisation", "division"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "division":  # scoped by the divisions' admin; labels name them
            kwargs["queryset"] = db_field.related_model.objects.select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _scores(assessment: Assessment) -> AssessmentScores:
    """Scores of a prefetched assessment, computed once per row however many columns ask."""
    scores = getattr(assessment, "_ita_scores", None)
    if scores is None:
        scores = assessment._ita_scores = scores_for(assessment)  # type: ignore[attr-defined]
    return scores


HEADER_ADD = ["organisation", "framework", "agency_type"]
HEADER_CHANGE = [
    "organisation",
    "framework",
    "agency_type",
    ("published_overall", "published_level"),
    "note",
]


@admin.register(Assessment)
class AssessmentAdmin(AssessmentSheetsMixin, ScopedAdmin):
    """One organisation-year on one screen: the header first, then every published number.

    The add page asks only for organisation, year and type, then opens the change page,
    whose form is built from that year's framework. Saving goes through `results_save`.
    """

    # The check columns come first: with the navigation open the last columns scroll away.
    list_display = [
        "organisation",
        "fiscal_year_column",
        "published_overall",
        "computed_overall",
        "mismatch_flag",
        "published_level",
        "agency_type",
    ]
    list_filter = ["framework__fiscal_year", "organisation__province", "agency_type"]
    list_select_related = ["organisation", "framework"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
    # Named explicitly so a mixin's own change form template cannot hide the score grid.
    change_form_template = "admin/ita/assessment/change_form.html"
    save_on_top = True

    class Media:
        css = {"all": ["ita/admin.css"]}
        js = ["ita/paste_scores.js"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        # The changelist's computed columns and the change page's grid and checks all read
        # the details; prefetching them keeps both at a fixed number of queries.
        return assessments_for_scoring(super().get_queryset(request))

    @admin.display(description=_("fiscal year (B.E.)"), ordering="framework__fiscal_year")
    def fiscal_year_column(self, obj: Assessment) -> int:
        return obj.framework.fiscal_year

    @admin.display(description=_("computed overall score"))
    def computed_overall(self, obj: Assessment) -> str | None:
        return format_score(_scores(obj).overall.computed) or None

    @admin.display(description=_("computed vs published"))
    def mismatch_flag(self, obj: Assessment) -> str | None:
        labels = mismatch_labels(_scores(obj))
        if not labels:
            return None
        return format_html('<span class="ita-flag">⚠ {}</span>', ", ".join(labels))

    def get_fieldsets(self, request: HttpRequest, obj: Assessment | None = None) -> list:
        return [(None, {"fields": HEADER_CHANGE if obj else HEADER_ADD})]

    def get_readonly_fields(self, request: HttpRequest, obj: Assessment | None = None) -> list:
        # The year and organisation fix which framework the grid shows; changing them would
        # orphan the scores. A different year is a different assessment.
        return ["organisation", "framework"] if obj else []

    def get_form(
        self, request: HttpRequest, obj: Assessment | None = None, change: bool = False, **kwargs
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = AssessmentHeaderForm
        else:
            framework = obj.framework
            kwargs["form"] = results_form_class(
                framework_lookup(framework),
                levels=[band.label for band in framework.rating_bands.all()],
            )
        return super().get_form(request, obj, change, **kwargs)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form checks what `results_save` checks, so this only happens when the
            # framework changed between showing the form and saving it; nothing was saved.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(
        self, request: HttpRequest, obj: Assessment, form: forms.ModelForm, change: bool
    ) -> None:
        if isinstance(form, AssessmentResultsForm):
            assert form.results is not None  # a valid form has gathered its results
            results, note = form.results, form.cleaned_data.get("note", obj.note)
        else:
            results, note = ResultSet(), obj.note
        saved = results_save(
            organisation=obj.organisation,
            framework=obj.framework,
            agency_type=obj.agency_type,
            results=results,
            note=note,
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def response_add(
        self, request: HttpRequest, obj: Assessment, post_url_continue: str | None = None
    ) -> HttpResponse:
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            gettext("%(assessment)s was added. Now enter its published scores.")
            % {"assessment": obj},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:ita_assessment_change", args=[obj.pk])
        )

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Assessment | None = None,
    ) -> HttpResponse:
        form = context["adminform"].form
        if obj is not None and obj.pk and isinstance(form, AssessmentResultsForm):
            if form.is_bound:
                # A refused form has written its header into obj; the checks show what is saved.
                obj.refresh_from_db(fields=["published_overall", "published_level"])
            if not self.has_change_permission(request, obj):
                for field in form.fields.values():
                    field.disabled = True  # view permission only: show the grid, read-only
            scores = scores_for(obj)
            context.update(
                ita_checks=check_rows(form.layout, scores),
                ita_tools=form.tool_rows(scores),
                ita_sections=form.sections(scores),
                ita_errors=form.error_summary() if form.is_bound else [],
            )
            if not all(field.disabled for field in form.fields.values()):
                context.update(
                    ita_paste_targets=paste_targets(form.layout),
                    ita_paste_messages=paste_messages(),
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def revert_disabled(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        # The history form holds only the header: reverting through it would save an
        # assessment without its scores. History stays viewable.
        return True  # and so the scoped history form refuses a POST
