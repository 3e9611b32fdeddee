"""The form staff use to edit the analysis text of every indicator of one year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext

from documents.content import IndicatorSection

FIELD_PREFIX = "analysis_"


class NarrativesForm(forms.Form):
    """One text per indicator, starting from the saved text or, when none, the draft."""

    def __init__(self, *args: Any, sections: Sequence[IndicatorSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            self.fields[f"{FIELD_PREFIX}{section.number}"] = forms.CharField(
                label=gettext("Indicator %(number)s %(name)s")
                % {"number": section.number, "name": section.name},
                required=False,
                initial=section.analysis,
                widget=forms.Textarea(attrs={"rows": 10, "class": "narrative-text"}),
            )

    def rows(self) -> list[tuple[IndicatorSection, forms.BoundField]]:
        return [(s, self[f"{FIELD_PREFIX}{s.number}"]) for s in self.sections]

    def texts(self) -> dict[int, str]:
        return {s.number: self.cleaned_data[f"{FIELD_PREFIX}{s.number}"] for s in self.sections}
