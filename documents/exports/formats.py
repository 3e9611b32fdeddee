"""Which builder answers each download format, shared by the download views and the
background render (``documents.tasks``), so that neither imports the other."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from documents.exports import (
    DOCX,
    PDF,
    XLSX,
    plan_docx,
    plan_pdf,
    plan_xlsx,
    report_docx,
    report_pdf,
    report_xlsx,
)

if TYPE_CHECKING:
    from documents.content import DocumentOptions, PlanDocument, ReportData

REPORT_FORMATS: dict[str, tuple[str, Callable[[ReportData, DocumentOptions], bytes]]] = {
    "pdf": (PDF, report_pdf),
    "docx": (DOCX, report_docx),
    "xlsx": (XLSX, lambda report, _options: report_xlsx(report)),
}

PLAN_FORMATS: dict[str, tuple[str, Callable[[PlanDocument, DocumentOptions], bytes]]] = {
    "pdf": (PDF, plan_pdf),
    "docx": (DOCX, plan_docx),
    "xlsx": (XLSX, lambda plan, _options: plan_xlsx(plan)),
}
