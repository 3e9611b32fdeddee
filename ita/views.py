from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    # Until the analysis pages exist, data entry in the admin is the front door.
    return redirect("admin:index")
