"""Limits that keep one client from wearing the site out: request size and attempt rates.

- `RequestSizeLimitMiddleware` refuses a body larger than allowed from its Content-Length
  header, before anything reads it; anonymous visitors only ever send small forms, so they get a
  much smaller limit than logged-in users who attach evidence.
- `hit` is a fixed-window counter in the cache, shared by the login and password-reset
  throttles. The default cache is per process: with several gunicorn workers each counts on
  its own, so a limit is at most multiplied by the worker count, never lifted.
- `client_address` is the address django-axes uses, so every throttle agrees on who is asking
  (the proxy's X-Forwarded-For is trusted only as far as TRUSTED_PROXY_COUNT says).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "unknown"


def _key(scope: str, subject: str) -> str:
    # Hashed: e-mail addresses and user names do not belong in cache keys in clear.
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"limit:{scope}:{digest}"


def hit(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once `subject` has made more than `limit` in `window` seconds."""
    key = _key(scope, subject)
    if cache.add(key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def exceeded(scope: str, subject: str, *, limit: int) -> bool:
    """Whether `subject` is already over `limit`, without counting a new attempt."""
    return (cache.get(_key(scope, subject)) or 0) >= limit


def body_limit(request: HttpRequest) -> int:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return settings.REQUEST_MAX_BYTES
    return settings.REQUEST_ANONYMOUS_MAX_BYTES


class RequestSizeLimitMiddleware:
    """Answer 413 (in Thai by default) when Content-Length is over the limit for this user.

    Placed after AuthenticationMiddleware: telling a logged-in user from an anonymous one
    reads the session cookie, never the body. A body without Content-Length (chunked) is not
    read by Django at all, and the reverse proxy caps it anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return render(request, "413.html", {"limit_bytes": limit}, status=413)
        return self.get_response(request)
