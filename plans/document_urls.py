"""URLs of the plan document (print view and downloads).

Included from config/urls.py next to ``plans.urls``: path("plans/", include("plans.document_urls")).
"""

from __future__ import annotations

from django.urls import path

from plans import document_views as views

app_name = "plan_documents"

urlpatterns = [
    path("<int:pk>/document/", views.plan_page, name="plan"),
    path("<int:pk>/plan.pdf", views.plan_file, {"kind": "pdf"}, name="plan-pdf"),
    path("<int:pk>/plan.docx", views.plan_file, {"kind": "docx"}, name="plan-docx"),
    path("<int:pk>/plan.xlsx", views.plan_file, {"kind": "xlsx"}, name="plan-xlsx"),
]
