"""Forms of the plans pages. Choices are always limited to the organisation's own rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from ita.models import Assessment, Division, Indicator, Item, Organisation, Question
from ita.thai import be_year, ce_year
from plans import drafting
from plans.carryover_queries import CarryOffer, Choices
from plans.models import Action, ActionStatus, Plan
from plans.services import (
    ActionDraft,
    CarryChoice,
    evidence_errors,
    evidence_max_bytes,
    link_errors,
)

YEARS_BACK = 2
YEARS_AHEAD = 3


class BuddhistDateWidget(forms.MultiWidget):
    """Day (optional), month name and Buddhist-era year as selects.

    Browsers' date pickers show Gregorian years; Thai offices write and check B.E. years.
    """

    def __init__(self, *, with_day: bool, years: Sequence[int]) -> None:
        self.with_day = with_day
        attrs = {"class": "plans-date-part"}
        widgets: list[forms.Widget] = []
        if with_day:
            widgets.append(forms.Select(attrs=attrs, choices=[(d, d) for d in range(1, 32)]))
        widgets.append(forms.Select(attrs=attrs, choices=list(MONTHS.items())))
        widgets.append(forms.Select(attrs=attrs, choices=[(y, y) for y in years]))
        super().__init__(widgets)

    def decompress(self, value: date | None) -> list[int | None]:
        if not value:
            return [None] * len(self.widgets)
        parts = [value.month, be_year(value.year)]
        return [value.day, *parts] if self.with_day else parts


class BuddhistDateField(forms.MultiValueField):
    """A date entered as (day,) month and B.E. year; months are stored as their first day."""

    def __init__(self, *, with_day: bool = False, years: Sequence[int], **kwargs: Any) -> None:
        self.with_day = with_day
        fields: list[forms.Field] = [forms.IntegerField(min_value=1, max_value=12)]
        fields.append(forms.IntegerField(min_value=2500, max_value=2700))
        if with_day:
            fields.insert(0, forms.IntegerField(min_value=1, max_value=31))
        super().__init__(
            fields=fields,
            widget=BuddhistDateWidget(with_day=with_day, years=years),
            require_all_fields=True,
            **kwargs,
        )

    def compress(self, data_list: list[int]) -> date | None:
        if not data_list:
            return None
        day, month, year = data_list if self.with_day else (1, *data_list)
        try:
            return date(ce_year(year), month, day)
        except ValueError as exc:
            raise forms.ValidationError(_("There is no such date."), code="invalid") from exc


def year_choices(fiscal_year: int) -> list[int]:
    return list(range(fiscal_year - YEARS_BACK, fiscal_year + YEARS_AHEAD))


class PlanCreateForm(forms.Form):
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.none(), label=_("Based on the results of"), empty_label=None
    )
    fiscal_year = forms.IntegerField(
        label=_("Plan for fiscal year (B.E.)"),
        required=False,
        min_value=2500,
        max_value=2700,
        help_text=_("Leave empty for the year after the assessment."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessments = list(
            Assessment.objects.filter(organisation=organisation)
            .select_related("framework")
            .annotate(plan_count=Count("plans"))
            .order_by("-framework__fiscal_year")
        )
        field = self.fields["assessment"]
        field.queryset = Assessment.objects.filter(  # type: ignore[attr-defined]
            pk__in=[a.pk for a in assessments]
        ).select_related("framework")
        field.choices = [  # type: ignore[attr-defined]
            (a.pk, _("ITA results %(year)s") % {"year": a.framework.fiscal_year})
            for a in assessments
        ]
        # The newest results that have no plan yet are what a supervisor plans from.
        unplanned = [a for a in assessments if not a.plan_count]
        if unplanned:
            field.initial = unplanned[0].pk


REASON_LABELS = {
    drafting.BELOW_THRESHOLD: _("below the threshold"),
    drafting.FALLING: _("fell against the previous year"),
    drafting.ITEM_FAILED: _("open-data item failed"),
    drafting.ITEM_PARTIAL: _("open-data item passed only partly"),
}


class ProposalForm(forms.Form):
    """One drafted action: ticked to accept, its texts editable (needed only when ticked)."""

    accept = forms.BooleanField(label=_("Accept"), required=False)
    key = forms.CharField(widget=forms.HiddenInput)
    finding = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    measure = forms.CharField(
        label=_("Measure"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    steps = forms.CharField(
        label=_("Steps"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("accept"):
            for name in ("finding", "measure"):
                if not data.get(name, "").strip():
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return data


ProposalFormSet = forms.formset_factory(ProposalForm, extra=0)


def proposal_initial(proposals: Sequence[drafting.DraftAction]) -> list[dict[str, Any]]:
    return [
        {"accept": True, "key": p.key, "finding": p.finding, "measure": p.measure, "steps": p.steps}
        for p in proposals
    ]


def accepted_drafts(
    formset: forms.BaseFormSet, proposals: Sequence[drafting.DraftAction]
) -> list[ActionDraft]:
    """The ticked proposals, with the supervisor's edits, matched back by their key."""
    by_key = {p.key: p for p in proposals}
    drafts = []
    for form in formset.forms:
        data = form.cleaned_data
        proposal = by_key.get(data.get("key", ""))
        if not data.get("accept") or proposal is None:
            continue
        drafts.append(
            ActionDraft(
                indicator_number=proposal.indicator_number,
                item_code=proposal.item_code,
                finding=data["finding"],
                measure=data["measure"],
                steps=data.get("steps", ""),
            )
        )
    return drafts


class CarryForm(forms.Form):
    """One unfinished action of last year's plan: ticked to continue it in the new plan.

    When its target has no counterpart in the new framework the supervisor chooses one (or
    the indicator as a whole); nothing is carried that was not ticked.
    """

    carry = forms.BooleanField(label=_("Carry over"), required=False)
    action = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.ChoiceField(label=_("Target in the new framework"), required=False)

    def __init__(self, *args: Any, offer: CarryOffer, targets: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.fields["target"].choices = [("", "—"), *targets]  # type: ignore[attr-defined]
        if offer.match is not None:
            self.fields["target"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") != self.offer.action.pk:
            raise forms.ValidationError(_("The list of actions changed; reload the page."))
        if data.get("carry") and self.offer.match is None and not data.get("target"):
            self.add_error(
                "target",
                _("This target is not in the new framework: choose one, or the indicator."),
            )
        return data

    @property
    def choice(self) -> CarryChoice | None:
        data = self.cleaned_data
        if not data.get("carry"):
            return None
        target = self.offer.match or data["target"]
        return CarryChoice(action_id=self.offer.action.pk, target=target)


class BaseCarryFormSet(forms.BaseFormSet):
    def __init__(
        self, *args: Any, offers: Sequence[CarryOffer], targets: Choices, **kwargs: Any
    ) -> None:
        self.offers = list(offers)
        self.targets = targets
        initial = [
            {"carry": False, "action": o.action.pk, "target": o.match or ""} for o in self.offers
        ]
        super().__init__(*args, initial=initial, **kwargs)

    def get_form_kwargs(self, index: int) -> dict[str, Any]:
        # Formsets ask for one form more than the initial rows for their empty form.
        offer = self.offers[index] if index is not None and index < len(self.offers) else None
        return {"offer": offer or self.offers[0], "targets": self.targets}

    def total_form_count(self) -> int:
        return len(self.offers)

    def choices(self) -> list[CarryChoice]:
        return [form.choice for form in self.forms if form.choice is not None]


CarryFormSet = forms.formset_factory(CarryForm, formset=BaseCarryFormSet, extra=0)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "indicator",
            "question",
            "item",
            "finding",
            "measure",
            "steps",
            "start_month",
            "end_month",
            "order",
        ]
        widgets = {
            "finding": forms.Textarea(attrs={"rows": 4}),
            "measure": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        framework = plan.assessment.framework
        years = year_choices(plan.fiscal_year)
        for name, label in (("start_month", _("Start month")), ("end_month", _("End month"))):
            self.fields[name] = BuddhistDateField(years=years, label=label)
        self.fields["indicator"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            framework=framework
        ).order_by("number")
        self.fields["question"].queryset = (  # type: ignore[attr-defined]
            Question.objects.filter(indicator__framework=framework)
            .select_related("indicator")
            .order_by("indicator__number", "order")
        )
        self.fields["item"].queryset = (  # type: ignore[attr-defined]
            Item.objects.filter(indicator__framework=framework).order_by("order", "code")
        )
        self.fields["order"].required = False

    def content(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AssignForm(forms.Form):
    divisions = forms.ModelMultipleChoiceField(
        queryset=Division.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Responsible divisions"),
    )
    all_divisions = forms.BooleanField(
        required=False,
        label=_("All divisions"),
        help_text=_("Every division answers for this action."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = Division.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        ).order_by("order", "name")


class PresentForm(forms.Form):
    council_note = forms.CharField(
        label=_("Council meeting"),
        required=False,
        max_length=300,
        help_text=_("e.g. session and number."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council_date"] = BuddhistDateField(
            with_day=True,
            years=year_choices(plan.fiscal_year),
            label=_("Council meeting date"),
            initial=plan.council_date or timezone.localdate(),
        )
        self.order_fields(["council_date", "council_note"])


class ReviseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the new revision"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status of the action"), choices=ActionStatus.choices)
    files = MultipleFileField(label=_("Evidence files"), required=False)
    links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address per line, e.g. the page where the document is published."),
    )

    def __init__(self, *args: Any, action: Action, can_cancel: bool, **kwargs: Any) -> None:
        started = action.status != ActionStatus.NOT_STARTED
        kwargs.setdefault(
            "initial",
            {
                "percent": getattr(action, "latest_percent", None) or 0,
                "status": action.status if started else ActionStatus.IN_PROGRESS,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["reported_on"] = BuddhistDateField(
            with_day=True,
            years=year_choices(action.plan.fiscal_year),
            label=_("Date"),
            initial=timezone.localdate(),
        )
        self.order_fields(["reported_on", "text", "percent", "status", "files", "links"])
        if not can_cancel:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                c for c in ActionStatus.choices if c[0] != ActionStatus.CANCELLED
            ]
        limit = evidence_max_bytes() / 1024 / 1024
        self.fields["files"].help_text = _(
            "PDF, images (JPG, PNG, GIF) or office documents, up to %(limit)s MB each."
        ) % {"limit": f"{limit:g}"}

    def clean_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for message in evidence_errors(data.get("files") or []):
            self.add_error("files", message)
        for message in link_errors(data.get("links") or []):
            self.add_error("links", message)
        return data
