"""The OIT readiness checklist as PDF (A4 landscape, Sarabun, Thai digits, B.E. dates) and XLSX.

Every OIT item of the year is listed, whatever the board's filter: the checklist is what a
supervisor ticks off before the NACC's window. Its content is gathered once
(`checklist_document`, from `plans.readiness.queries.board`, two queries) and both builders
print that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext

from documents.content import DocumentOptions
from documents.exports.children import built_apart
from documents.exports.pdf import render_pdf
from documents.exports.sheets import autosize, workbook_bytes, workbook_sheet
from ita.thai import format_date
from plans.readiness.models import ReadinessYear
from plans.readiness.queries import board


@dataclass(frozen=True)
class ChecklistRow:
    code: str
    title: str
    data_year: str
    division: str
    due: date | None
    overdue: bool
    status: str
    status_label: str
    evidence_url: str
    link_status: int | None
    note: str


@dataclass(frozen=True)
class ChecklistDocument:
    organisation: str
    district: str
    province: str
    fiscal_year: int
    default_due_date: date
    as_of: date
    rows: list[ChecklistRow]


def checklist_document(year: ReadinessYear, today: date) -> ChecklistDocument:
    figures = board(year, today)
    rows = [
        ChecklistRow(
            code=row.entry.item.code,
            title=row.entry.item.title,
            data_year=row.entry.item.get_data_year_display()
            if row.entry.item.data_year != "not_stated"
            else "",
            division=row.entry.division.name if row.entry.division else "",
            due=row.due,
            overdue=row.overdue,
            status=row.entry.status,
            status_label=row.entry.get_status_display(),
            evidence_url=row.entry.evidence_url,
            link_status=row.entry.link_status,
            note=row.entry.note,
        )
        for row in sorted(
            figures.rows, key=lambda r: (r.entry.item.order, r.entry.item.code, r.entry.pk)
        )
    ]
    organisation = year.organisation
    return ChecklistDocument(
        organisation=organisation.name,
        district=organisation.district,
        province=organisation.province,
        fiscal_year=year.fiscal_year,
        default_due_date=year.default_due_date,
        as_of=today,
        rows=rows,
    )


def checklist_html(checklist: ChecklistDocument, options: DocumentOptions) -> str:
    return render_to_string(
        "documents/checklist.html", {"checklist": checklist, "options": options}
    )


def checklist_pdf(checklist: ChecklistDocument, options: DocumentOptions) -> bytes:
    return render_pdf(checklist_html(checklist, options))


@built_apart("openpyxl")
def checklist_xlsx(checklist: ChecklistDocument) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook_sheet(
        workbook,
        gettext("OIT %(year)s") % {"year": checklist.fiscal_year},
        [
            gettext("Item"),
            gettext("What to publish"),
            gettext("Data of"),
            gettext("Owning division"),
            gettext("Due"),
            gettext("Due (date, to sort)"),
            gettext("Status"),
            gettext("Evidence address (URL)"),
            gettext("HTTP status"),
            gettext("Note"),
        ],
        first=True,
    )
    for row in checklist.rows:
        sheet.append(
            [
                row.code,
                row.title,
                row.data_year,
                row.division,
                format_date(row.due) if row.due else "",
                row.due,
                row.status_label,
                row.evidence_url,
                row.link_status,
                row.note,
            ]
        )
    for cells in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in cells:
            cell.number_format = "DD/MM/YYYY"
    autosize(sheet, (8, 50, 16, 22, 18, 12, 14, 45, 10, 30))
    return workbook_bytes(workbook)
