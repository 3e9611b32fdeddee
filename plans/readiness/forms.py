"""Forms of the OIT readiness board: open a year, update an item, filter the board."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ita.models import Division, Organisation
from plans.enums import ReadinessStatus
from plans.forms import BuddhistDateField
from plans.readiness import rules
from plans.readiness.models import ReadinessItem, validate_evidence_url
from plans.readiness.services import ItemChange


def _date_field(fiscal_year: int, **kwargs: Any) -> BuddhistDateField:
    # A due date lies in the fiscal year: its October–December are in the year before.
    return BuddhistDateField(with_day=True, years=[fiscal_year - 1, fiscal_year], **kwargs)


class OpenYearForm(forms.Form):
    def __init__(self, *args: Any, fiscal_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        first, _last = rules.fiscal_year_bounds(fiscal_year)
        self.fields["default_due_date"] = _date_field(
            fiscal_year,
            label=_("Default due date"),
            help_text=_("Before the NACC opens the OIT window; each item may get its own date."),
            initial=first.replace(year=first.year + 1, month=3, day=1),
        )


class ItemForm(forms.Form):
    """A division clerk's fields; supervisors also get the owning division and the due date."""

    status = forms.ChoiceField(label=_("Status"), choices=ReadinessStatus.choices)
    evidence_url = forms.CharField(
        label=_("Evidence address (URL)"),
        required=False,
        max_length=rules.MAX_URL_LENGTH,
        validators=[validate_evidence_url],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("The page on the organisation's own web site where the evidence is."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        entry: ReadinessItem,
        organisation: Organisation,
        owner: bool,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": entry.status,
                "evidence_url": entry.evidence_url,
                "note": entry.note,
                "division": entry.division_id,
                "due_date": entry.due_date,
            },
        )
        super().__init__(*args, **kwargs)
        self.owner = owner
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = rules.status_choices(can_manage=owner, current=entry.status)
        if owner:
            self.fields["division"] = forms.ModelChoiceField(
                label=_("Owning division"),
                queryset=Division.objects.filter(organisation=organisation),
                required=False,
            )
            self.fields["due_date"] = _date_field(
                entry.year.fiscal_year,
                label=_("Own due date"),
                required=False,
                help_text=_("Leave empty to use the year's default due date."),
            )

    def change(self) -> ItemChange:
        data = self.cleaned_data
        return ItemChange(
            status=data["status"],
            evidence_url=data["evidence_url"].strip(),
            note=data["note"],
            division=data.get("division"),
            due_date=data.get("due_date"),
            set_owner=self.owner,
        )


class BoardFilterForm(forms.Form):
    division = forms.ModelChoiceField(
        label=_("Division"), queryset=Division.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("all")), *ReadinessStatus.choices], required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["division"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Division.objects.filter(organisation=organisation)
        field.empty_label = _("all divisions")
