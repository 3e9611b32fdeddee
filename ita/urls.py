from __future__ import annotations

from django.urls import path

from ita import views

app_name = "ita"

urlpatterns = [
    path("", views.home, name="home"),
]
