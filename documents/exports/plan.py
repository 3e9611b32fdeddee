"""The improvement plan for the council as PDF (A4 landscape), DOCX and XLSX.

Built from ``documents.content.PlanDocument``; the page set-up and Word/Excel helpers are the
analysis report's (the sibling modules), so both documents look alike.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext

from documents.content import DocumentOptions, PlanDocument
from documents.exports.pdf import render_pdf
from documents.exports.sheets import plan_sheet, workbook_bytes
from documents.exports.word import (
    plan_meta,
    plan_table_header,
    plan_table_rows,
    word_bytes,
    word_document,
    word_page_numbers,
    word_paragraph,
    word_signatures,
    word_table,
)
from ita.thai import as_digits


def plan_html(plan: PlanDocument, options: DocumentOptions) -> str:
    return render_to_string("documents/plan.html", {"plan": plan, "options": options})


def plan_pdf(plan: PlanDocument, options: DocumentOptions) -> bytes:
    return render_pdf(plan_html(plan, options))


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


def plan_xlsx(plan: PlanDocument) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    plan_sheet(workbook, plan, first=True)
    return workbook_bytes(workbook)
