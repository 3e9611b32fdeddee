"""The improvement plan for the council as PDF (A4 landscape), DOCX and XLSX.

Built from ``documents.content.PlanDocument``; the page set-up and Word/Excel helpers are the
analysis report's (the sibling modules), so both documents look alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from documents.content import DocumentOptions, PlanDocument
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
from documents.exports.sheets import autosize, plan_sheet, workbook_bytes, workbook_sheet
from documents.exports.word import plan_meta, plan_table_header, plan_table_rows
from ita.thai import as_digits


def plan_html(plan: PlanDocument, options: DocumentOptions) -> str:
    return render_to_string("documents/plan.html", {"plan": plan, "options": options})


def plan_pdf(plan: PlanDocument, options: DocumentOptions) -> bytes:
    from documents.exports.halves import MIN_ROWS

    return render_pdf(plan_html(plan, options), in_two=len(plan.rows) >= MIN_ROWS)


@built_apart("docx")
def plan_docx(plan: PlanDocument, options: DocumentOptions) -> bytes:
    thai = options.thai_digits
    document = word_document(landscape=True)
    word_paragraph(
        document,
        gettext(
            "Improvement plan from the integrity and transparency assessment (ITA), "
            "fiscal year %(year)s"
        )
        % {"year": as_digits(plan.fiscal_year, thai=thai)},
        bold=True,
        center=True,
        size=18,
    )
    organisation = plan.organisation
    if plan.district:
        organisation += " " + gettext("%(district)s District, %(province)s Province") % {
            "district": plan.district,
            "province": plan.province,
        }
    word_paragraph(document, organisation, bold=True, center=True)
    word_paragraph(document, plan_meta(plan, thai=thai), center=True)
    word_table(
        document,
        plan_table_header(),
        plan_table_rows(plan, thai=thai),
        widths_cm=(3.6, 6, 5, 6.2, 2.9, 2.9),
        keep_with_next=True,
    )
    word_signatures(document, plan, thai=thai)
    word_page_numbers(document, gettext("Page"))
    return word_bytes(document)


@built_apart("openpyxl")
def plan_xlsx(plan: PlanDocument) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    plan_sheet(workbook, plan, first=True)
    approval_sheet(workbook, plan)
    return workbook_bytes(workbook)


def approval_sheet(workbook: Any, plan: PlanDocument) -> None:
    """Who approved the plan and when (the Bangkok day: Excel dates have no time zone, and
    an approval at 06:30 Bangkok time is the day before in UTC), and the council meeting."""
    sheet = workbook_sheet(
        workbook, gettext("Approval"), [gettext("Item"), gettext("Value")], first=False
    )
    approved_on = timezone.localdate(plan.approved_at) if plan.approved_at else None
    for label, value in (
        (gettext("Status"), plan.status_label),
        (gettext("Approved by"), plan.approved_by),
        (gettext("Approval date"), approved_on),
        (gettext("Council meeting date"), plan.council_date),
        (gettext("Council meeting note"), plan.council_note),
    ):
        sheet.append([label, value])
    for cells in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
    autosize(sheet, (24, 40))
