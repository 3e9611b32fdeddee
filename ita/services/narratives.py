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
from ita.judgement import Verdict
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


VERDICT_UNKNOWN = gettext_noop(
    "The verdict of indicator %(number)s must be improve, maintain or empty (the draft); "
    "got %(value)s."
)


def _check_verdict(number: int, value: str) -> None:
    if value and value not in {v.value for v in Verdict}:
        raise ValidationError(bilingual(VERDICT_UNKNOWN, number=number, value=value))


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
    verdicts: Mapping[int, str] | None = None,
) -> list[int]:
    """Save the analysis text, remark and verdict of each indicator number given; return the
    numbers changed.

    An empty text or verdict clears the saved one, so the report goes back to printing the
    draft. Rows are saved one by one so the audit history records each change.
    """
    remarks = remarks or {}
    verdicts = verdicts or {}
    indicators = {
        i.number: i for i in Indicator.objects.filter(framework_id=assessment.framework_id)
    }
    unknown = sorted((set(texts) | set(remarks) | set(verdicts)) - set(indicators))
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
    cleaned_verdicts = {n: v.strip() for n, v in verdicts.items()}
    for number, value in sorted(cleaned_verdicts.items()):
        _check_verdict(number, value)
    changed = []
    for number in sorted(set(cleaned_texts) | set(cleaned_remarks) | set(cleaned_verdicts)):
        indicator = indicators[number]
        row = existing.get(indicator.pk)
        if row is None:
            row = IndicatorResult(assessment=assessment, indicator=indicator)
        analysis = cleaned_texts.get(number, row.analysis)
        remark = cleaned_remarks.get(number, row.remark)
        verdict = cleaned_verdicts.get(number, row.verdict)
        if (row.analysis, row.remark, row.verdict) == (analysis, remark, verdict):
            continue
        row.analysis = analysis
        row.remark = remark
        row.verdict = verdict
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
