"""Security headers for every response, and the login throttle's backend.

Django 5.2 has no content security policy of its own (6.0 will), so a small middleware sets
it. The policy allows only this site's own scripts, styles, fonts and images: templates keep
CSS and JS in static files (shared/style.md: no inline CSS or JS), which is what makes this
possible. tests/security/test_headers.py renders every page and fails on inline code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Headers Django's SecurityMiddleware does not set (it sets nosniff, HSTS and, through
# XFrameOptionsMiddleware, X-Frame-Options).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Add `SECURITY_HEADERS` to every response that does not set its own value."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request.

    Axes refuses `authenticate()` without a request; management commands, the shell and
    tests call it that way, and there is nobody guessing passwords over HTTP there. Every
    web login (ours and the admin's) passes the request, so it is always throttled.
    """

    def authenticate(
        self,
        request: HttpRequest | None = None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of the login form while an account is locked (429)."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "security/locked_out.html", context, status=429)
