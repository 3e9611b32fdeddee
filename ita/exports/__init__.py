"""The analysis report as PDF (WeasyPrint), DOCX (python-docx) and XLSX (openpyxl).

Every builder takes a `ReportData` (see ``ita.report_data``) and returns bytes; views only
send them. The PDF renderer and the Word and Excel helpers are shared with ``plans.exports``.
Heavy libraries are imported inside the functions so that pages which never export do not
pay for them.
"""

from __future__ import annotations

from ita.exports.pdf import render_pdf, report_html, report_pdf, static_file
from ita.exports.sheets import (
    autosize,
    format_scores,
    plan_sheet,
    report_xlsx,
    workbook_bytes,
    workbook_sheet,
)
from ita.exports.word import (
    plan_table_header,
    plan_table_rows,
    report_docx,
    word_bytes,
    word_document,
    word_page_numbers,
    word_paragraph,
    word_signatures,
    word_table,
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "DOCX",
    "PDF",
    "XLSX",
    "autosize",
    "format_scores",
    "plan_sheet",
    "plan_table_header",
    "plan_table_rows",
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
