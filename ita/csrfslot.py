"""A stand-in for the CSRF token in HTML that is rendered once and served many times.

Cached fragments (the menu's forms, page bodies with forms) are rendered with `SLOT` as
their `csrf_token`; `filled` puts this request's token in its place on the way out, so
every response still carries a freshly masked token and sets the CSRF cookie as
`{% csrf_token %}` would. The slot holds NUL characters, which no form lets a user save
(Django refuses them in text fields) and HTML escaping leaves as they are, so data shown
in the fragment can never turn into a token.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

SLOT = "\x00csrf-slot\x00"


def slot_context() -> dict[str, str]:
    """Context that makes `{% csrf_token %}` print the slot."""
    return {"csrf_token": SLOT}


def filled(request: HttpRequest, html: str) -> SafeString:
    """`html` (our own rendered, escaped template output) with this request's token."""
    if SLOT in html:
        html = html.replace(SLOT, get_token(request))
    return mark_safe(html)
