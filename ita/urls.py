from __future__ import annotations

from django.urls import path

from ita import views

app_name = "ita"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
    path("o/<int:organisation_id>/", views.dashboard, name="dashboard"),
    path("o/<int:organisation_id>/years/<int:year>/", views.dashboard, name="year-dashboard"),
    path("o/<int:organisation_id>/compare/", views.compare, name="compare"),
    path("o/<int:organisation_id>/peers/", views.peers, name="peers"),
    path("o/<int:organisation_id>/indicators/<int:number>/", views.indicator, name="indicator"),
]
