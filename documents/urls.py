"""URLs of the printed documents: the analysis report, its texts, and the plan for the council.

Paths are those users already have: the report under ``o/<organisation>/years/<year>/``,
the plan under ``plans/<pk>/``; the documents page of a year beside the report, the signed
copies under ``documents/``. One namespace, ``documents``.
"""

from __future__ import annotations

from django.urls import path

from documents import views

app_name = "documents"

_year = "o/<int:organisation_id>/years/<int:year>"

urlpatterns = [
    path(f"{_year}/report/", views.report_page, name="report"),
    path(f"{_year}/report.pdf", views.report_file, {"kind": "pdf"}, name="report-pdf"),
    path(f"{_year}/report.docx", views.report_file, {"kind": "docx"}, name="report-docx"),
    path(f"{_year}/scores.xlsx", views.report_file, {"kind": "xlsx"}, name="report-xlsx"),
    path(f"{_year}/analysis/", views.narratives_edit, name="narratives-edit"),
    path("o/<int:organisation_id>/documents/", views.documents_latest, name="latest"),
    path(f"{_year}/documents/", views.documents_year, name="year"),
    path(f"{_year}/documents/sign/", views.documents_sign, name="sign"),
    path("documents/<int:document_id>/signed.pdf", views.stored_file, name="stored-file"),
    path("plans/<int:pk>/document/", views.plan_page, name="plan"),
    path("plans/<int:pk>/plan.pdf", views.plan_file, {"kind": "pdf"}, name="plan-pdf"),
    path("plans/<int:pk>/plan.docx", views.plan_file, {"kind": "docx"}, name="plan-docx"),
    path("plans/<int:pk>/plan.xlsx", views.plan_file, {"kind": "xlsx"}, name="plan-xlsx"),
    path("plans/<int:pk>/plan-<str:kind>/wait/", views.plan_file_wait, name="plan-wait"),
    path("plans/<int:pk>/followup/", views.followup_page, name="followup"),
    path("plans/<int:pk>/followup.pdf", views.followup_file, {"kind": "pdf"}, name="followup-pdf"),
    path(
        "plans/<int:pk>/followup.docx", views.followup_file, {"kind": "docx"}, name="followup-docx"
    ),
    path(
        "o/<int:organisation_id>/oit/<int:year>/checklist.pdf",
        views.checklist_file,
        {"kind": "pdf"},
        name="checklist-pdf",
    ),
    path(
        "o/<int:organisation_id>/oit/<int:year>/checklist.xlsx",
        views.checklist_file,
        {"kind": "xlsx"},
        name="checklist-xlsx",
    ),
    path(
        "plans/<int:pk>/followup.xlsx", views.followup_file, {"kind": "xlsx"}, name="followup-xlsx"
    ),
]
