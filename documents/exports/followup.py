"""The follow-up report as PDF (A4 landscape), DOCX and XLSX, laid out like the plan."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext

from documents.content import DocumentOptions
from documents.exports.children import built_apart
from documents.exports.docx_layout import (
    word_bytes,
    word_document,
    word_page_numbers,
    word_paragraph,
    word_signatures,
    word_table,
)
from documents.exports.pdf import render_pdf
from documents.exports.sheets import autosize, format_scores, workbook_bytes, workbook_sheet
from documents.followup import FollowupReport, FollowupRow
from ita.scoring import round_score
from ita.thai import as_digits, format_date, format_period


def followup_title(report: FollowupReport, *, thai: bool) -> str:
    return gettext(
        "Report on the implementation of the ITA improvement plan, fiscal year %(year)s"
    ) % {"year": as_digits(report.fiscal_year, thai=thai)}


def followup_subtitle(report: FollowupReport, *, thai: bool) -> str:
    return gettext("%(edition)s · as of %(date)s") % {
        "edition": as_digits(report.edition_label, thai=thai),
        "date": format_date(report.as_of, thai=thai),
    }


def _score(value: Decimal | None, *, thai: bool) -> str:
    return "–" if value is None else as_digits(f"{round_score(value):.2f}", thai=thai)


def score_text(row: FollowupRow, *, thai: bool) -> str:
    """The target's score in the analysed year → the next, the change, and the verdict."""
    if row.score_before is None and row.score_after is None:
        return row.verdict_label
    text = f"{_score(row.score_before, thai=thai)} → {_score(row.score_after, thai=thai)}"
    if row.score_change is not None:
        text += f" ({as_digits(f'{round_score(row.score_change):+.2f}', thai=thai)})"
    return f"{text} {row.verdict_label}"


def notes_text(row: FollowupRow, *, thai: bool) -> str:
    lines = []
    for note in row.notes:
        head = f"{format_date(note.reported_on, short=True, thai=thai)} ({note.percent}%)"
        if note.division:
            head += f" {note.division}"
        lines.append(as_digits(f"{head}: {note.text}", thai=thai))
        for evidence in note.evidence:
            ref = evidence.name if not evidence.link else f"{evidence.name} <{evidence.link}>"
            if evidence.link and evidence.name == evidence.link:
                ref = evidence.link
            lines.append(f"  – {gettext('Evidence')}: {ref}")
    return "\n".join(lines) or gettext("No progress recorded yet.")


def followup_table_header() -> list[str]:
    return [
        gettext("Indicator"),
        gettext("Finding"),
        gettext("Measure / practice"),
        gettext("Period"),
        gettext("Responsible"),
        gettext("Status"),
        gettext("Progress and evidence"),
        gettext("Score before → after"),
    ]


def followup_table_rows(report: FollowupReport, *, thai: bool) -> list[list[str]]:
    return [
        [
            as_digits(f"{row.indicator_number}. {row.indicator_name}", thai=thai)
            + (f" ({as_digits(row.code, thai=thai)})" if row.code else ""),
            as_digits(row.finding, thai=thai),
            as_digits(row.measure, thai=thai),
            format_period(row.start_month, row.end_month, thai=thai),
            row.responsible,
            as_digits(f"{row.status_label} {row.percent}%", thai=thai),
            notes_text(row, thai=thai),
            score_text(row, thai=thai),
        ]
        for row in report.rows
    ]


def followup_html(report: FollowupReport, options: DocumentOptions) -> str:
    return render_to_string(
        "documents/followup.html",
        {"report": report, "options": options, "rows": _rows(report, options)},
    )


def _rows(report: FollowupReport, options: DocumentOptions) -> list[tuple[FollowupRow, str]]:
    return [(row, score_text(row, thai=options.thai_digits)) for row in report.rows]


def followup_pdf(report: FollowupReport, options: DocumentOptions) -> bytes:
    return render_pdf(followup_html(report, options))


@built_apart("docx")
def followup_docx(report: FollowupReport, options: DocumentOptions) -> bytes:
    thai = options.thai_digits
    document = word_document(landscape=True)
    word_paragraph(document, followup_title(report, thai=thai), bold=True, center=True, size=18)
    organisation = report.organisation
    if report.district:
        organisation += " " + gettext("%(district)s District, %(province)s Province") % {
            "district": report.district,
            "province": report.province,
        }
    word_paragraph(document, organisation, bold=True, center=True)
    word_paragraph(document, followup_subtitle(report, thai=thai), center=True)
    word_table(
        document,
        followup_table_header(),
        followup_table_rows(report, thai=thai),
        widths_cm=(3.2, 3.6, 3.6, 2.6, 2.4, 2.2, 6.2, 2.8),
        keep_with_next=True,
    )
    word_signatures(document, None, thai=thai)
    word_page_numbers(document, gettext("Page"))
    return word_bytes(document)


@built_apart("openpyxl")
def followup_xlsx(report: FollowupReport) -> bytes:
    """One row per progress note (an action without notes keeps one row), to filter and sort."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook_sheet(
        workbook,
        gettext("Follow-up %(year)s") % {"year": report.fiscal_year},
        [
            gettext("Indicator no."),
            gettext("Indicator"),
            gettext("Question or item"),
            gettext("Finding"),
            gettext("Measure / practice"),
            gettext("Period"),
            gettext("Responsible"),
            gettext("Status"),
            gettext("Progress (%)"),
            gettext("Date"),
            gettext("What was done"),
            gettext("Evidence"),
            gettext("Score before"),
            gettext("Score after"),
            gettext("Result"),
        ],
        first=True,
    )
    for row in report.rows:
        base = [
            row.indicator_number,
            row.indicator_name,
            row.code,
            row.finding,
            row.measure,
            format_period(row.start_month, row.end_month),
            row.responsible,
            row.status_label,
            row.percent,
        ]
        scores = [row.score_before, row.score_after, row.verdict_label]
        for note in row.notes or [None]:
            if note is None:
                sheet.append([*base, None, "", "", *scores])
                continue
            evidence = "\n".join(e.link or e.name for e in note.evidence)
            sheet.append([*base, note.reported_on, note.text, evidence, *scores])
    for cells in sheet.iter_rows(min_row=2, min_col=10, max_col=10):
        for cell in cells:
            cell.number_format = "dd/mm/yyyy"
    format_scores(sheet, (13, 14))
    autosize(sheet, (10, 24, 12, 36, 36, 24, 18, 12, 10, 12, 40, 30, 10, 10, 16))
    return workbook_bytes(workbook)
