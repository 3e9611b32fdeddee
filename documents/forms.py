"""The forms of the documents pages: the analysis texts of one year, and signing a document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from documents import services
from documents.content import IndicatorSection
from documents.enums import DocumentKind, SignedEdition
from documents.models import StoredDocument
from ita.models import Organisation
from ita.models.results import VERDICT_CHOICES
from ita.narratives import ANALYSIS_MAX_LENGTH, REMARK_MAX_LENGTH
from plans.models import Plan

FIELD_PREFIX = "analysis_"
REMARK_PREFIX = "remark_"
VERDICT_PREFIX = "verdict_"


@dataclass(frozen=True)
class LastChange:
    """Who last saved an indicator's texts, and when (from the audit history)."""

    user: str
    when: datetime


@dataclass(frozen=True)
class NarrativeRow:
    """One indicator's part of the form, its fields by name for the template."""

    section: IndicatorSection
    verdict: forms.BoundField | None  # None for an indicator without a score
    restore_verdict: forms.BoundField | None
    remark: forms.BoundField
    restore_remark: forms.BoundField
    analysis: forms.BoundField
    restore_analysis: forms.BoundField
    change: LastChange | None


class NarrativesForm(forms.Form):
    """Per indicator: its verdict, remark and analysis text, each starting from the saved value
    or, when none, the draft."""

    def __init__(
        self,
        *args: Any,
        sections: Sequence[IndicatorSection],
        changes: Mapping[int, LastChange] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        self.changes = dict(changes or {})
        for section in self.sections:
            self.fields[f"{FIELD_PREFIX}{section.number}"] = forms.CharField(
                label=gettext("Indicator %(number)s %(name)s")
                % {"number": section.number, "name": section.name},
                required=False,
                initial=section.analysis,
                max_length=ANALYSIS_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 10, "class": "narrative-text"}),
            )
            self.fields[f"{REMARK_PREFIX}{section.number}"] = forms.CharField(
                label=gettext("Remark (weak points / corrections / improve / maintain)"),
                required=False,
                initial=section.verdict_text,
                max_length=REMARK_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3, "class": "narrative-remark"}),
            )
            prefixes = [FIELD_PREFIX, REMARK_PREFIX]
            if section.drafted_verdict is not None:  # no score, nothing to judge
                prefixes.append(VERDICT_PREFIX)
                self.fields[f"{VERDICT_PREFIX}{section.number}"] = forms.ChoiceField(
                    label=gettext("Verdict (improve or maintain)"),
                    choices=VERDICT_CHOICES,
                    required=False,  # not sent: the drafted verdict
                    initial=section.verdict.value if section.verdict else "",
                    widget=forms.RadioSelect(attrs={"class": "narrative-verdict"}),
                )
            for prefix in prefixes:
                self.fields[f"restore_{prefix}{section.number}"] = forms.BooleanField(
                    label=gettext("Restore the draft"), required=False
                )

    def rows(self) -> list[NarrativeRow]:
        """Per indicator: its fields (verdict, remark, analysis, each with a restore box)."""
        rows = []
        for s in self.sections:
            verdict = f"{VERDICT_PREFIX}{s.number}"
            rows.append(
                NarrativeRow(
                    section=s,
                    verdict=self[verdict] if verdict in self.fields else None,
                    restore_verdict=(
                        self[f"restore_{verdict}"] if verdict in self.fields else None
                    ),
                    remark=self[f"{REMARK_PREFIX}{s.number}"],
                    restore_remark=self[f"restore_{REMARK_PREFIX}{s.number}"],
                    analysis=self[f"{FIELD_PREFIX}{s.number}"],
                    restore_analysis=self[f"restore_{FIELD_PREFIX}{s.number}"],
                    change=self.changes.get(s.number),
                )
            )
        return rows

    def _value(self, prefix: str, number: int) -> str:
        """The posted text, or nothing (the draft again) when its restore box is ticked."""
        if self.cleaned_data[f"restore_{prefix}{number}"]:
            return ""
        return self.cleaned_data[f"{prefix}{number}"]

    def texts(self) -> dict[int, str]:
        return {s.number: self._value(FIELD_PREFIX, s.number) for s in self.sections}

    def verdicts(self) -> dict[int, str]:
        """The verdict of each judged indicator; the drafted one is saved as no choice, so a
        later change of the lines still reaches an unedited report."""
        verdicts = {}
        for s in self.sections:
            if f"{VERDICT_PREFIX}{s.number}" not in self.fields:
                continue
            value = self._value(VERDICT_PREFIX, s.number)
            drafted = s.drafted_verdict.value if s.drafted_verdict else ""
            verdicts[s.number] = "" if value == drafted else value
        return verdicts

    def remarks(self) -> dict[int, str]:
        """The remark of each indicator; the rule's own sentence is saved as no remark, so a
        later change of the rule still reaches an unedited report."""
        remarks = {}
        for s in self.sections:
            text = self._value(REMARK_PREFIX, s.number).strip()
            remarks[s.number] = "" if text == s.drafted_remark else text
        return remarks


class SignForm(forms.Form):
    """Which document of one organisation and year to sign (posted by the documents page)."""

    kind = forms.ChoiceField(choices=DocumentKind.choices)
    plan = forms.IntegerField(required=False, min_value=1)
    edition = forms.ChoiceField(choices=SignedEdition.choices, required=False)

    def __init__(self, *args: Any, organisation: Organisation, fiscal_year: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fiscal_year = fiscal_year
        self.plan_object: Plan | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") in (DocumentKind.PLAN, DocumentKind.FOLLOWUP):
            # Only a plan of this organisation drawn from this year's results.
            self.plan_object = (
                Plan.objects.filter(
                    pk=data.get("plan") or 0,
                    organisation=self.organisation,
                    assessment__framework__fiscal_year=self.fiscal_year,
                )
                .select_related("organisation", "assessment__framework")
                .first()
            )
            if self.plan_object is None:
                raise forms.ValidationError(
                    gettext_lazy("แผนนี้ไม่ใช่ของปีนี้ / This plan is not one of this year's.")
                )
        return data

    def sign(self, *, user: Any, today: Any) -> StoredDocument:
        kind = self.cleaned_data["kind"]
        if kind == DocumentKind.REPORT:
            return services.report_sign(
                organisation=self.organisation, fiscal_year=self.fiscal_year, user=user
            )
        assert self.plan_object is not None
        if kind == DocumentKind.PLAN:
            return services.plan_copy_store(plan=self.plan_object, user=user)
        return services.followup_sign(
            plan=self.plan_object, edition=self.cleaned_data["edition"], user=user, today=today
        )
