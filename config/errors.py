"""The CSRF failure page, in Thai by default like the 400/403/404/500 templates.

Django's own CSRF page is English only and explains the mechanism to a developer; a clerk
needs to know what to do: reload the form and send it again.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
