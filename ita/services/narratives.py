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


def _normalised(text: str) -> str:
    """Browsers send CRLF and trailing spaces; the saved text keeps neither."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


@transaction.atomic
def narratives_save(*, assessment: Assessment, texts: Mapping[int, str]) -> list[int]:
    """Save the analysis text of each indicator number given; return the numbers changed.

    An empty text clears the saved one, so the report goes back to printing the draft.
    Rows are saved one by one so the audit history records each change.
    """
    indicators = {
        i.number: i for i in Indicator.objects.filter(framework_id=assessment.framework_id)
    }
    unknown = sorted(set(texts) - set(indicators))
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
    changed = []
    for number, text in sorted(texts.items()):
        indicator = indicators[number]
        cleaned = _normalised(text)
        row = existing.get(indicator.pk)
        if row is None:
            if not cleaned:
                continue
            row = IndicatorResult(assessment=assessment, indicator=indicator)
        elif row.analysis == cleaned:
            continue
        row.analysis = cleaned
        row.full_clean()
        row.save()
        changed.append(number)
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
