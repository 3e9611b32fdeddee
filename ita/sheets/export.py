"""The results spreadsheet, written from the database: a year's layout and blank template,
an assessment's rows, XLSX/CSV files and the JSON summary, all from `assessments_for_export`
in a fixed number of queries (layout: docs/spreadsheet-layout.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from ita.models import Assessment, Framework, Indicator, Tool
from ita.queries import assessments_for_scoring, scores_for
from ita.results import IndicatorValue, ItemValue, ResultSet
from ita.sheets.cells import SheetMeta
from ita.sheets.files import write_csv, write_xlsx
from ita.sheets.rows import (
    IndicatorLabel,
    ItemLabel,
    QuestionLabel,
    Row,
    SheetLayout,
    ToolLabel,
    sheet_rows,
)


def _framework_details() -> list[Prefetch | str]:
    return [
        Prefetch("tools", queryset=Tool.objects.order_by("order", "code")),
        "tools__channels",
        Prefetch("indicators", queryset=Indicator.objects.order_by("number")),
        "indicators__questions",
        "indicators__items",
    ]


def assessments_for_export(queryset: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    """Assessments with their results, scores and labels, in 11 queries whatever the count.

    A given queryset is narrowed by primary key, so one that already prefetches (the
    admin's) does not clash with the prefetches here.
    """
    if queryset is not None:
        queryset = Assessment.objects.filter(pk__in=queryset.values("pk"))
    return (
        assessments_for_scoring(queryset)
        .prefetch_related(
            "framework__tools__channels",
            "framework__indicators__questions",
            "framework__indicators__items",
        )
        .order_by(
            "organisation__province",
            "organisation__name",
            "organisation__district",
            "framework__fiscal_year",
        )
    )


def framework_for_template(year: int) -> Framework:
    return Framework.objects.prefetch_related(*_framework_details()).get(fiscal_year=year)


def _natural(code: str) -> tuple[str, int]:
    match = re.match(r"(\D*)(\d*)", code)
    prefix, digits = match.groups() if match else (code, "")
    return prefix, int(digits) if digits else 0


def sheet_layout(framework: Framework) -> SheetLayout:
    """A framework's codes and labels, from prefetched rows (see `_framework_details`)."""
    tools = sorted(framework.tools.all(), key=lambda t: (t.order, t.code))
    channels = {
        t.pk: tuple((c.code, c.name_th) for c in sorted(t.channels.all(), key=lambda c: c.order))
        for t in tools
    }
    code_of = {t.pk: t.code for t in tools}
    indicators = []
    for indicator in sorted(framework.indicators.all(), key=lambda i: i.number):
        questions = sorted(indicator.questions.all(), key=lambda q: (q.order, _natural(q.code)))
        items = sorted(indicator.items.all(), key=lambda i: (i.order, _natural(i.code)))
        indicators.append(
            IndicatorLabel(
                number=indicator.number,
                name=indicator.name_th,
                tool=code_of[indicator.tool_id],
                questions=tuple(
                    QuestionLabel(q.code, q.theme or q.text[:80], channels[indicator.tool_id])
                    for q in questions
                ),
                items=tuple(ItemLabel(i.code, i.title) for i in items),
            )
        )
    return SheetLayout(
        fiscal_year=framework.fiscal_year,
        tools=tuple(ToolLabel(t.code, t.name_th) for t in tools),
        indicators=tuple(indicators),
    )


def assessment_sheet(assessment: Assessment) -> tuple[SheetMeta, ResultSet]:
    """An assessment's values, from a prefetched assessment (`assessments_for_export`)."""
    organisation = assessment.organisation
    meta = SheetMeta(
        fiscal_year=assessment.framework.fiscal_year,
        organisation=organisation.name,
        province=organisation.province,
        district=organisation.district,
        agency_type=assessment.agency_type,
        note=assessment.note,
    )
    results = ResultSet(
        overall=assessment.published_overall,
        level=assessment.published_level,
        tools={r.tool.code: r.score for r in assessment.tool_results.all()},
        indicators={
            r.indicator.number: IndicatorValue(r.score, r.analysis)
            for r in assessment.indicator_results.all()
        },
        questions={
            (q.question.code, q.channel.code if q.channel else None): q.score
            for q in assessment.question_scores.all()
        },
        items={
            r.item.code: ItemValue(r.score, r.status, r.reason)
            for r in assessment.item_results.all()
        },
    )
    return meta, results


def assessment_rows(assessment: Assessment) -> list[Row]:
    meta, results = assessment_sheet(assessment)
    return sheet_rows(sheet_layout(assessment.framework), meta, results)


def template_rows(framework: Framework) -> list[Row]:
    return sheet_rows(sheet_layout(framework), None, None)


def assessment_title(assessment: Assessment) -> str:
    return f"{assessment.framework.fiscal_year} {assessment.organisation.name}"


def assessment_filename(assessment: Assessment, extension: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "-", assessment_title(assessment)).strip("-")
    return f"{name}.{extension}"


def export_xlsx(assessments: Iterable[Assessment]) -> bytes:
    """One worksheet per assessment."""
    return write_xlsx([(assessment_title(a), assessment_rows(a)) for a in assessments])


def export_csv(assessment: Assessment) -> bytes:
    return write_csv(assessment_rows(assessment))


def _score(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    """Published and computed figures of one prefetched assessment, for JSON.

    Scores are strings with 2 decimals so that nothing is lost to floating point.
    """
    scores = scores_for(assessment)
    names = {i.number: i.name_th for i in assessment.framework.indicators.all()}
    organisation = assessment.organisation
    return {
        "organisation": {
            "name": organisation.name,
            "district": organisation.district,
            "province": organisation.province,
        },
        "fiscal_year": assessment.framework.fiscal_year,
        "agency_type": assessment.agency_type,
        "published_overall": _score(scores.overall.published),
        "computed_overall": _score(scores.overall.computed_rounded),
        "published_level": scores.published_level or None,
        "computed_level": scores.computed_level,
        "mismatches": list(scores.mismatches),
        "tools": [
            {
                "code": t.code,
                "published": _score(t.check.published),
                "computed": _score(t.check.computed_rounded),
                "mismatch": t.check.mismatch,
            }
            for t in scores.tools
        ],
        "indicators": [
            {
                "number": i.number,
                "name": names.get(i.number, ""),
                "published": _score(i.check.published),
                "computed": _score(i.check.computed_rounded),
                "mismatch": i.check.mismatch,
            }
            for i in scores.indicators
        ],
    }


# --- admin import (django-import-export) -----------------------------------------------
