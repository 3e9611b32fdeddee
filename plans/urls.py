from __future__ import annotations

from django.urls import path

from plans import views
from plans.readiness import views as readiness

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("my-work/", views.my_work, name="my-work"),
    path("organisation/<int:organisation_id>/", views.plan_list, name="organisation-plans"),
    path("organisation/<int:organisation_id>/new/", views.plan_create, name="plan-create"),
    path("organisation/<int:organisation_id>/my-work/", views.my_work, name="organisation-my-work"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/draft/", views.plan_draft, name="plan-draft"),
    path("<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/present/", views.plan_present, name="plan-present"),
    path("<int:pk>/revise/", views.plan_revise, name="plan-revise"),
    path("<int:pk>/history/", views.plan_history, name="plan-history"),
    path("revisions/<int:pk>/", views.revision_detail, name="revision-detail"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/assign/", views.action_assign, name="action-assign"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action-delete"),
    path("actions/<int:pk>/progress/", views.progress_create, name="progress-create"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("oit/", readiness.board_index, name="readiness-home"),
    path("organisation/<int:organisation_id>/oit/", readiness.board_index, name="readiness-index"),
    path(
        "organisation/<int:organisation_id>/oit/<int:year>/",
        readiness.board,
        name="readiness-board",
    ),
    path(
        "organisation/<int:organisation_id>/oit/<int:year>/open/",
        readiness.year_open,
        name="readiness-open",
    ),
    path(
        "organisation/<int:organisation_id>/oit/<int:year>/check-links/",
        readiness.link_check_start,
        name="readiness-check-links",
    ),
    path("oit-items/<int:pk>/", readiness.item_edit, name="readiness-item"),
]
