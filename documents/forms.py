"""The form staff use to edit the analysis text of every indicator of one year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext

from documents.content import IndicatorSection
from ita.narratives import ANALYSIS_MAX_LENGTH, REMARK_MAX_LENGTH

FIELD_PREFIX = "analysis_"
REMARK_PREFIX = "remark_"


@dataclass(frozen=True)
class LastChange:
    """Who last saved an indicator's texts, and when (from the audit history)."""

    user: str
    when: datetime


class NarrativesForm(forms.Form):
    """One text per indicator, starting from the saved text or, when none, the draft."""

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
            for prefix in (FIELD_PREFIX, REMARK_PREFIX):
                self.fields[f"restore_{prefix}{section.number}"] = forms.BooleanField(
                    label=gettext("Restore the draft"), required=False
                )

    def rows(self) -> list[tuple[IndicatorSection, list[forms.BoundField], LastChange | None]]:
        """Per indicator: analysis, its restore box, remark, its restore box."""
        return [
            (
                s,
                [
                    self[name]
                    for prefix in (FIELD_PREFIX, REMARK_PREFIX)
                    for name in (f"{prefix}{s.number}", f"restore_{prefix}{s.number}")
                ],
                self.changes.get(s.number),
            )
            for s in self.sections
        ]

    def _value(self, prefix: str, number: int) -> str:
        """The posted text, or nothing (the draft again) when its restore box is ticked."""
        if self.cleaned_data[f"restore_{prefix}{number}"]:
            return ""
        return self.cleaned_data[f"{prefix}{number}"]

    def texts(self) -> dict[int, str]:
        return {s.number: self._value(FIELD_PREFIX, s.number) for s in self.sections}

    def remarks(self) -> dict[int, str]:
        """The remark of each indicator; the rule's own sentence is saved as no remark, so a
        later change of the rule still reaches an unedited report."""
        remarks = {}
        for s in self.sections:
            text = self._value(REMARK_PREFIX, s.number).strip()
            remarks[s.number] = "" if text == s.drafted_remark else text
        return remarks
