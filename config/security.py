"""Security headers for every response, the login throttle's backend and the throttled
password reset.

Django 5.2 has no content security policy of its own (6.0 will), so a small middleware sets
it. The policy allows only this site's own scripts, styles, fonts and images: templates keep
CSS and JS in static files (shared/style.md: no inline CSS or JS), which is what makes this
possible. tests/security/test_headers.py renders every page and fails on inline code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordResetView
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from config.limits import client_address, exceeded, hit

# Counters of the login and password-reset throttles (config/limits.py).
LOGIN_ADDRESS_SCOPE = "login-address"
RESET_ADDRESS_SCOPE = "reset-address"
RESET_ACCOUNT_SCOPE = "reset-account"

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
        # A view serving a stored file marks it (as Django's `xframe_options_exempt` does)
        # rather than importing this policy: the apps stand below config.
        if getattr(response, "csp_sandbox", False):
            response.headers.setdefault(
                "Content-Security-Policy", f"{CONTENT_SECURITY_POLICY}; sandbox"
            )
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request.

    Axes refuses `authenticate()` without a request; management commands, the shell and
    tests call it that way, and there is nobody guessing passwords over HTTP there. Every
    web login (ours and the admin's) passes the request, so it is always throttled.

    Axes locks a username from an address; trying one password on many usernames (spraying)
    never trips that, so failures are also counted per address alone, with a higher limit
    because a whole office often shares one address.
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
        if exceeded(
            LOGIN_ADDRESS_SCOPE, client_address(request), limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.login_address_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("Too many failed logins from this address.")
        return super().authenticate(request, username, password, **kwargs)


@receiver(user_login_failed, dispatch_uid="config.security.count_address_failure")
def count_address_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    hit(
        LOGIN_ADDRESS_SCOPE,
        client_address(request),
        limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        window=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


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
        "by_address": getattr(request, "login_address_locked_out", False),
    }
    return render(request, "security/locked_out.html", context, status=429)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, sending at most a few mails per address and per account.

    Over the account's limit the answer is the usual "mail sent" page without a mail, so it
    tells nobody whether the address has an account; over the address's limit it is a 429.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        address = client_address(self.request)
        if not hit(
            RESET_ADDRESS_SCOPE,
            address,
            limit=settings.PASSWORD_RESET_ADDRESS_LIMIT,
            window=window,
        ):
            return render(self.request, "429.html", {"reason": "password_reset"}, status=429)
        if not hit(
            RESET_ACCOUNT_SCOPE,
            form.cleaned_data["email"],
            limit=settings.PASSWORD_RESET_ACCOUNT_LIMIT,
            window=window,
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
