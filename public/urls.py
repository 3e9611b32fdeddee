from __future__ import annotations

from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("<str:slug>/", views.organisation_page, name="organisation"),
    path("<str:slug>/<int:year>/", views.year_page, name="year"),
    path(
        "<str:slug>/<int:year>/documents/<int:document_id>.pdf",
        views.signed_document,
        name="signed-document",
    ),
]
