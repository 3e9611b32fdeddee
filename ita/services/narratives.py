"""Writes of the indicator analysis texts (the narratives the report prints).

The saved text is ``IndicatorResult.analysis``; while it is empty the report prints a draft
written from the scores (``ita.narratives``), and staff make it theirs by saving.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.models import Assessment, Indicator, IndicatorResult
from ita.narratives import ANALYSIS_MAX_LENGTH, REMARK_MAX_LENGTH
from ita.services.figures import assessment_figures_touch


def _normalised(text: str) -> str:
    """Browsers send CRLF and trailing spaces; the saved text keeps neither."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


ANALYSIS_TOO_LONG = gettext_noop(
    "The analysis text of indicator %(number)s is %(length)s characters long; "
    "at most %(limit)s are allowed."
)
REMARK_TOO_LONG = gettext_noop(
    "The remark of indicator %(number)s is %(length)s characters long; "
    "at most %(limit)s are allowed."
)


def _check_length(number: int, text: str, limit: int, message: str) -> None:
    if len(text) > limit:
        raise ValidationError(
            bilingual(
                message,
                number=number,
                length=len(text),
                limit=limit,
            )
        )


@transaction.atomic
def narratives_save(
    *,
    assessment: Assessment,
    texts: Mapping[int, str],
    remarks: Mapping[int, str] | None = None,
) -> list[int]:
    """Save the analysis text (and remark) of each indicator number given; return the numbers
    changed.

    An empty text clears the saved one, so the report goes back to printing the draft.
    Rows are saved one by one so the audit history records each change.
    """
    remarks = remarks or {}
    indicators = {
        i.number: i for i in Indicator.objects.filter(framework_id=assessment.framework_id)
    }
    unknown = sorted((set(texts) | set(remarks)) - set(indicators))
    if unknown:
        raise ValidationError(
            bilingual(
                gettext_noop("There is no indicator %(number)s in %(year)s."),
                number=", ".join(map(str, unknown)),
                year=assessment.framework.fiscal_year,
            )
        )
    existing = {
        r.indicator_id: r
        for r in IndicatorResult.objects.select_for_update().filter(assessment=assessment)
    }
    cleaned_texts = {n: _normalised(t) for n, t in texts.items()}
    cleaned_remarks = {n: _normalised(t) for n, t in remarks.items()}
    # Every text is checked before any is saved, so nothing is half-saved.
    for number, text in sorted(cleaned_texts.items()):
        _check_length(number, text, ANALYSIS_MAX_LENGTH, ANALYSIS_TOO_LONG)
    for number, text in sorted(cleaned_remarks.items()):
        _check_length(number, text, REMARK_MAX_LENGTH, REMARK_TOO_LONG)
    changed = []
    for number in sorted(set(cleaned_texts) | set(cleaned_remarks)):
        indicator = indicators[number]
        row = existing.get(indicator.pk)
        if row is None:
            row = IndicatorResult(assessment=assessment, indicator=indicator)
        analysis = cleaned_texts.get(number, row.analysis)
        remark = cleaned_remarks.get(number, row.remark)
        if (row.analysis, row.remark) == (analysis, remark):
            continue
        row.analysis = analysis
        row.remark = remark
        row.full_clean()
        row.save()
        changed.append(number)
    if changed:
        assessment_figures_touch(assessment_ids=[assessment.pk])
    return changed


@transaction.atomic
def narratives_fill(*, assessment: Assessment, drafts: Mapping[int, str]) -> list[int]:
    """Save drafts as the analysis of the indicators that have none yet; saved texts stay."""
    saved = set(
        IndicatorResult.objects.filter(assessment=assessment)
        .exclude(analysis="")
        .values_list("indicator__number", flat=True)
    )
    return narratives_save(
        assessment=assessment,
        texts={n: text for n, text in drafts.items() if n not in saved},
    )
