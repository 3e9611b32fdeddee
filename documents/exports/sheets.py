"""Scores and plans as XLSX: numbers stay numbers (two decimals shown), periods stay dates."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, pgettext

from documents.content import PlanDocument, ReportData, rounded
from documents.exports.children import built_apart
from ita.sheets.cells import FORMULA_TRIGGERS
from ita.thai import format_month, format_period
from plans.enums import ActionStatus

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def workbook_sheet(workbook: Any, title: str, header: Sequence[str], *, first: bool) -> Worksheet:
    from openpyxl.styles import Alignment, Font

    # Excel allows 31 characters and none of []:*?/\ in a sheet name.
    safe = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = safe
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return sheet


def format_scores(sheet: Any, columns: Sequence[int]) -> None:
    """Two decimals as published, on the given 1-based columns below the header."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in columns and isinstance(cell.value, Decimal | int | float):
                cell.number_format = "0.00"


def autosize(sheet: Any, widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook_bytes(workbook: Any) -> bytes:
    neutralise_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def neutralise_formulas(workbook: Any) -> None:
    """Store text that Excel would run as a formula (e.g. a finding "=HYPERLINK(...)" or a
    reason "- ไม่พบ...") as plain text, so opening the export never executes user input."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in FORMULA_TRIGGERS:
                    cell.data_type = "s"
                    cell.quotePrefix = True


def plan_sheet(workbook: Any, plan: PlanDocument, *, first: bool) -> Worksheet:
    """The plan's rows: the period as printed, its first and last month in Buddhist-era
    short form (ต.ค. 2568, as Thai offices write months; Excel's own month formats print
    Gregorian years), and the status by its label."""
    sheet = workbook_sheet(
        workbook,
        gettext("Plan %(year)s") % {"year": plan.fiscal_year},
        [
            gettext("Indicator no."),
            gettext("Indicator"),
            gettext("Question or item"),
            gettext("Finding"),
            gettext("Measure / practice"),
            gettext("Steps / method"),
            gettext("Period"),
            gettext("Start month"),
            gettext("End month"),
            gettext("Responsible"),
            gettext("Status"),
        ],
        first=first,
    )
    for row in plan.rows:
        sheet.append(
            [
                row.indicator_number,
                row.indicator_name,
                row.code,
                row.finding,
                row.measure,
                row.steps,
                format_period(row.start_month, row.end_month),
                format_month(row.start_month, short=True) if row.start_month else "",
                format_month(row.end_month, short=True) if row.end_month else "",
                row.responsible,
                str(ActionStatus(row.status).label),
            ]
        )
    autosize(sheet, (10, 24, 12, 40, 34, 40, 26, 12, 12, 18, 12))
    return sheet


@built_apart("openpyxl")
def report_xlsx(report: ReportData) -> bytes:
    """Scores (overall, tools, indicators, questions, history) and the plan, as numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    indicators = workbook_sheet(
        workbook,
        gettext("Indicators %(year)s") % {"year": report.fiscal_year},
        [
            gettext("Indicator no."),
            gettext("Indicator"),
            gettext("Tool"),
            gettext("Score"),
            gettext("Weak points / corrections / improve / maintain"),
        ],
        first=True,
    )
    for section in report.indicators:
        indicators.append(
            [
                section.number,
                section.name,
                section.tool,
                rounded(section.score),
                section.verdict_text,
            ]
        )
    indicators.append([])
    for tool in report.tools:
        indicators.append([None, tool.name, tool.code, rounded(tool.value), None])
    indicators.append([None, gettext("Overall score"), None, rounded(report.overall), report.level])
    format_scores(indicators, (4,))
    autosize(indicators, (12, 40, 8, 10, 50))

    channels = max((len(s.channels) for s in report.indicators), default=0)
    channel_names = next((s.channels for s in report.indicators if s.channels), ())
    questions = workbook_sheet(
        workbook,
        gettext("Questions %(year)s") % {"year": report.fiscal_year},
        [
            gettext("Indicator no."),
            gettext("Question"),
            gettext("Score"),
            *[gettext("Score %(channel)s") % {"channel": c} for c in channel_names],
        ],
        first=False,
    )
    for section in report.indicators:
        for question in section.questions:
            if section.channels:
                values = [rounded(question.value), *map(rounded, question.scores)]
            else:
                values = [rounded(question.scores[0]), *([None] * channels)]
            questions.append([section.number, question.code, *values])
    format_scores(questions, tuple(range(3, 4 + channels)))
    autosize(questions, (12, 10, 10, *([24] * channels)))

    history = workbook_sheet(
        workbook,
        pgettext("sheet of past years' results", "History"),
        [gettext("Fiscal year"), gettext("Overall score"), gettext("Level")],
        first=False,
    )
    for point in report.history:
        history.append([point.fiscal_year, rounded(point.overall), point.level])
    format_scores(history, (2,))
    autosize(history, (12, 14, 18))

    if report.plan:
        plan_sheet(workbook, report.plan, first=False)
    return workbook_bytes(workbook)
