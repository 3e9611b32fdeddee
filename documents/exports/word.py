"""The analysis report as DOCX for staff who edit in Word, and the plan table's rows and
header that the plan and follow-up DOCX share."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from documents.content import DocumentOptions, PlanDocument, ReportData
from documents.exports.children import built_apart
from documents.exports.docx_layout import (
    SCORE_CM,
    cell_text,
    unbreakable,
    word_bytes,
    word_chart,
    word_document,
    word_page_numbers,
    word_paragraph,
    word_signatures,
    word_table,
)
from ita.thai import as_digits, format_date, format_period, format_score


def plan_meta(plan: PlanDocument, *, thai: bool) -> str:
    """The plan's basis, state, approval and council meeting (its date and note), one line."""
    meta = [
        gettext("Based on the ITA results of fiscal year %(year)s")
        % {"year": as_digits(plan.analysed_year, thai=thai)},
        plan.status_label,
    ]
    if plan.approved_at:
        meta.append(
            gettext("approved by %(name)s on %(date)s")
            % {"name": plan.approved_by, "date": format_date(plan.approved_at, thai=thai)}
        )
    if plan.council_date:
        meta.append(
            gettext("presented to the council on %(date)s")
            % {"date": format_date(plan.council_date, thai=thai)}
            + (f" ({plan.council_note})" if plan.council_note else "")
        )
    elif plan.council_note:
        meta.append(plan.council_note)
    return " · ".join(meta)


def plan_table_rows(plan: PlanDocument, *, thai: bool) -> list[list[str]]:
    return [
        [
            as_digits(f"{row.indicator_number}. {row.indicator_name}", thai=thai)
            + (f" ({as_digits(row.code, thai=thai)})" if row.code else ""),
            as_digits(row.finding, thai=thai),
            as_digits(row.measure, thai=thai),
            as_digits(row.steps, thai=thai),
            format_period(row.start_month, row.end_month, thai=thai),
            row.responsible,
        ]
        for row in plan.rows
    ]


def plan_table_header() -> list[str]:
    return [
        gettext("Indicator"),
        gettext("Finding"),
        gettext("Measure / practice"),
        gettext("Steps / method"),
        gettext("Period"),
        gettext("Responsible"),
    ]


@built_apart("docx", "cairosvg")
def report_docx(report: ReportData, options: DocumentOptions) -> bytes:
    thai = options.thai_digits

    def d(value: object) -> str:
        return as_digits(value, thai=thai)

    def score(value: Decimal | None) -> str:
        return format_score(value, thai=thai)

    year = d(report.fiscal_year)
    place = ""
    if report.district:
        place = gettext("%(district)s District, %(province)s Province") % {
            "district": report.district,
            "province": report.province,
        }
    document = word_document()
    word_paragraph(
        document,
        gettext(
            "Analysis of the integrity and transparency assessment of %(organisation)s "
            "%(place)s, fiscal year %(year)s"
        )
        % {"organisation": report.organisation, "place": place, "year": year},
        bold=True,
        center=True,
        size=18,
    )
    word_paragraph(
        document,
        f"{d(1)}. "
        + gettext("Analysis of the ITA results of %(organisation)s, fiscal year %(year)s")
        % {"organisation": report.organisation, "year": year},
        bold=True,
    )
    word_paragraph(
        document,
        gettext(
            "In the ITA of fiscal year %(year)s, %(organisation)s scored %(score)s points, "
            "at the level %(level)s, as follows."
        )
        % {
            "year": year,
            "organisation": report.organisation,
            "score": score(report.overall),
            "level": report.level,
        },
        indent=True,
    )
    word_paragraph(
        document,
        gettext("Integrity and Transparency Assessment of public agencies, fiscal year %(year)s")
        % {"year": year},
        bold=True,
        center=True,
    )
    word_paragraph(document, report.organisation, bold=True, center=True)
    if report.agency_type:
        word_paragraph(
            document,
            gettext("Agency type: %(type)s") % {"type": report.agency_type},
            center=True,
        )
    # The PDF's charts as pictures, each followed by its numbers as a table.
    word_paragraph(document, gettext("Overall result"), bold=True)
    word_chart(document, report.charts.overall)
    word_table(
        document,
        [gettext("Fiscal year"), gettext("Overall score"), gettext("Level")],
        [[year, score(report.overall), report.level]],
        widths_cm=(4, 4, 8.5),
        numeric=(1,),
    )
    word_paragraph(document, gettext("Overall result over the years"), bold=True)
    word_chart(document, report.charts.history)
    word_table(
        document,
        [gettext("Fiscal year"), gettext("Overall score"), gettext("Level")],
        [[d(p.fiscal_year), score(p.overall), p.level] for p in report.history],
        widths_cm=(4, 4, 8.5),
        numeric=(1,),
    )
    word_paragraph(document, gettext("Result per tool"), bold=True)
    word_chart(document, report.charts.tools)
    word_table(
        document,
        [gettext("Tool"), gettext("Weight"), gettext("Score")],
        [[f"{t.code} {t.name}", d(f"{t.weight:.0f}%"), score(t.value)] for t in report.tools],
        widths_cm=(10.5, 3, 3),
        numeric=(1, 2),
    )
    word_paragraph(document, gettext("Summary by indicator"), bold=True)
    word_table(
        document,
        [gettext("Indicator no."), gettext("Indicator description"), gettext("Score")],
        [[d(s.number), s.name, score(s.score)] for s in report.indicators],
        widths_cm=(2.5, 11, 3),
        numeric=(0, 2),
    )

    document.add_page_break()
    word_paragraph(
        document,
        gettext("ITA analysis, fiscal year %(year)s") % {"year": year},
        bold=True,
        center=True,
    )
    word_paragraph(
        document,
        gettext("Part %(number)s: details of the analysis of the ITA results, fiscal year %(year)s")
        % {"number": d(1), "year": year},
        bold=True,
    )
    for section in report.indicators:
        _word_indicator(document, section, d=d, score=score)

    document.add_page_break()
    word_paragraph(
        document,
        f"{d(2)}. "
        + gettext(
            "Issues to develop and improve, and how the analysis leads to improving and "
            "developing the organisation and maintaining its level in fiscal year %(plan_year)s"
        )
        % {"plan_year": d(report.plan_year)},
        bold=True,
    )
    if report.plan:
        meta = plan_meta(report.plan, thai=thai)
        if meta:
            word_paragraph(document, meta)
        word_table(
            document,
            plan_table_header(),
            plan_table_rows(report.plan, thai=thai),
            widths_cm=(2.6, 3.4, 3, 3.4, 2.3, 1.8),
            size=13,
            keep_with_next=True,
        )
    else:
        word_paragraph(
            document, gettext("No improvement plan has been made from these results yet.")
        )
    word_signatures(document, report.plan, thai=thai)
    word_page_numbers(document, gettext("Page"))
    return word_bytes(document)


def _word_indicator(
    document: Any,
    section: Any,
    *,
    d: Callable[[object], str],
    score: Callable[[Decimal | None], str],
) -> None:
    word_paragraph(
        document,
        gettext("Indicator %(number)s %(name)s")
        % {"number": d(section.number), "name": section.name},
        bold=True,
    )
    score_headers = (
        [gettext("Score %(channel)s") % {"channel": c} for c in section.channels]
        if section.channels
        else [gettext("Score")]
    )
    if section.questions:
        header = [
            gettext("No."),
            gettext("Topic"),
            gettext("Question"),
            *score_headers,
            gettext("Mean score"),
            gettext("Weak points / corrections / improve / maintain"),
        ]
        rows = [
            [
                d(section.number) if index == 0 else "",
                section.name if index == 0 else "",
                unbreakable(gettext("Item %(code)s") % {"code": d(q.code)}),
                *[score(v) for v in q.scores],
                score(section.score) if index == 0 else "",
                section.verdict_text if index == 0 else "",
            ]
            for index, q in enumerate(section.questions)
        ]
        scores = len(score_headers) + 1
        table = word_table(
            document,
            header,
            rows,
            widths_cm=(1.0, 2.2, 1.6, *([SCORE_CM] * scores), 16.5 - 4.8 - SCORE_CM * scores),
            numeric=(0, *range(3, 3 + scores)),
            keep_together=True,
        )
        # The reference document merges the indicator's cells down its question rows.
        last = len(rows)
        for column in (0, 1, len(header) - 2, len(header) - 1):
            top = table.cell(1, column)
            text = top.text
            merged = top.merge(table.cell(last, column))
            cell_text(merged, text)
    else:
        word_table(
            document,
            [
                gettext("No."),
                gettext("Topic"),
                gettext("Mean score"),
                gettext("Weak points / corrections / improve / maintain"),
            ],
            [[d(section.number), section.name, score(section.score), section.verdict_text]],
            widths_cm=(1.0, 3.7, SCORE_CM, 16.5 - 4.7 - SCORE_CM),
            numeric=(0, 2),
            keep_together=True,
        )
    word_paragraph(document, gettext("The analysis of the results is as follows."), bold=True)
    for paragraph in d(section.analysis).split("\n"):
        if paragraph.strip():
            word_paragraph(document, paragraph.strip(), indent=True)
