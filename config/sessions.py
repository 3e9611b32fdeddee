"""Logins end after SESSION_IDLE_TIMEOUT seconds without a request (office PCs are shared).

A session's end is pushed forward by saving it (the database row's expiry and the cookie's
max-age both become now + SESSION_COOKIE_AGE). Saving on every request would cost writes on
every page, so a logged-in session is saved again only once RENEW_EVERY seconds have passed
since its last renewal: it may end that much before a full idle period.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

RENEWED_AT = "_idle_renewed_at"
RENEW_EVERY = 5 * 60


def session_renew(session: SessionBase, *, now: float | None = None) -> None:
    session[RENEWED_AT] = int(time.time() if now is None else now)


def renewal_due(session: SessionBase, *, now: float) -> bool:
    renewed = session.get(RENEWED_AT)
    return not isinstance(renewed, int) or now - renewed >= RENEW_EVERY


@receiver(user_logged_in, dispatch_uid="config.sessions.renew_on_login")
def renew_on_login(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    session_renew(request.session)


class SessionIdleTimeoutMiddleware:
    """Renew a logged-in session that is due; SessionMiddleware then saves it.

    Placed after SessionMiddleware and AuthenticationMiddleware so that its response half
    runs before SessionMiddleware writes the session and its cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and renewal_due(request.session, now=time.time())
        ):
            session_renew(request.session)
        return response
