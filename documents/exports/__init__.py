"""The analysis report as PDF (WeasyPrint), DOCX (python-docx) and XLSX (openpyxl).

Every builder takes a `ReportData` (see ``documents.content``) and returns bytes; views only
send them. The plan for the council (``plan``) shares the PDF renderer and the Word and Excel
helpers.
Heavy libraries are imported inside the functions so that pages which never export do not
pay for them.
"""

from __future__ import annotations

from documents.exports.docx_layout import (
    word_bytes,
    word_document,
    word_page_numbers,
    word_paragraph,
    word_signatures,
    word_table,
)
from documents.exports.pdf import render_pdf, report_html, report_pdf, static_file
from documents.exports.plan import plan_docx, plan_html, plan_pdf, plan_xlsx
from documents.exports.sheets import (
    autosize,
    format_scores,
    plan_sheet,
    report_xlsx,
    workbook_bytes,
    workbook_sheet,
)
from documents.exports.word import plan_table_header, plan_table_rows, report_docx

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "DOCX",
    "PDF",
    "XLSX",
    "autosize",
    "format_scores",
    "plan_docx",
    "plan_html",
    "plan_pdf",
    "plan_sheet",
    "plan_table_header",
    "plan_table_rows",
    "plan_xlsx",
    "render_pdf",
    "report_docx",
    "report_html",
    "report_pdf",
    "report_xlsx",
    "static_file",
    "word_bytes",
    "word_document",
    "word_page_numbers",
    "word_paragraph",
    "word_signatures",
    "word_table",
    "workbook_bytes",
    "workbook_sheet",
]
