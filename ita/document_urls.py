"""URLs of the analysis report's print view, downloads and analysis texts.

Included from config/urls.py next to ``ita.urls``: path("", include("ita.document_urls")).
"""

from __future__ import annotations

from django.urls import path

from ita import document_views as views

app_name = "documents"

_year = "o/<int:organisation_id>/years/<int:year>"

urlpatterns = [
    path(f"{_year}/report/", views.report_page, name="report"),
    path(f"{_year}/report.pdf", views.report_file, {"kind": "pdf"}, name="report-pdf"),
    path(f"{_year}/report.docx", views.report_file, {"kind": "docx"}, name="report-docx"),
    path(f"{_year}/scores.xlsx", views.report_file, {"kind": "xlsx"}, name="report-xlsx"),
    path(f"{_year}/analysis/", views.narratives_edit, name="narratives-edit"),
]
