"""The site menu (main navigation and organisation switcher), rendered once per content.

The menu is drawn from a `Menu` value holding exactly what it prints: the viewer's flags,
the organisation and the switcher's list as this request loaded them (`ita.access`), and
where the page sits in the URL tree. The HTML is kept per `Menu`, language, URL prefix and
URL configuration in this process (`functools.lru_cache` of `CACHED_MENUS` entries): the
key is the content, so a rename, a new membership or a role change is a different key on
the very next request and nothing needs invalidating. The templates see only the `Menu`,
never the request, so nothing the key leaves out can reach the HTML. The header's forms
(language switch, log-out) are drawn the same way from a `Tools` value, with a slot where
the CSRF token goes (`ita.csrfslot`), filled per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from ita import csrfslot

PARTS = ("includes/nav.html", "includes/org_switcher.html")
TOOLS = "includes/header_tools.html"
# Menus differ by organisation, page and viewer; each part is 1-4 kB, so at most ~4 MB a
# worker (the least recently used go first).
CACHED_MENUS = 1024


@dataclass(frozen=True)
class MenuOrganisation:
    pk: int
    name: str


@dataclass(frozen=True)
class Menu:
    authenticated: bool
    staff: bool
    organisation: MenuOrganisation | None
    organisations: tuple[MenuOrganisation, ...]
    more_organisations: bool
    url_name: str
    namespace: str


def menu_of(request: HttpRequest) -> Menu:
    """What the menu prints for this request (no query: `ita.access` loaded the list)."""
    user = getattr(request, "user", None)
    organisation = getattr(request, "organisation", None)
    match = getattr(request, "resolver_match", None)
    return Menu(
        authenticated=bool(user is not None and user.is_authenticated),
        staff=bool(getattr(user, "is_staff", False)),
        organisation=MenuOrganisation(organisation.pk, organisation.name) if organisation else None,
        organisations=tuple(
            MenuOrganisation(o.pk, o.name) for o in getattr(request, "organisations", ())
        ),
        more_organisations=bool(getattr(request, "more_organisations", False)),
        url_name=(match.url_name or "") if match else "",
        namespace=(match.namespace or "") if match else "",
    )


@dataclass(frozen=True)
class Tools:
    """What the header's forms print: whose log-out, and the page the language switch
    returns to."""

    authenticated: bool
    user_name: str
    next_path: str


def tools_of(request: HttpRequest) -> Tools:
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    return Tools(
        authenticated=authenticated,
        user_name=(user.get_full_name() or user.get_username()) if authenticated else "",
        next_path=request.get_full_path(),
    )


@lru_cache(maxsize=CACHED_MENUS)
def _rendered(template: str, value: Menu | Tools, language: str, prefix: str, urlconf: str) -> str:
    # `prefix` and `urlconf` are in the key because the links are reversed through them.
    name = "tools" if isinstance(value, Tools) else "menu"
    with translation.override(language):
        return render_to_string(template, {name: value, **csrfslot.slot_context()})


def _key_bits() -> tuple[str, str, str]:
    return (
        translation.get_language() or settings.LANGUAGE_CODE,
        get_script_prefix(),
        str(get_urlconf() or settings.ROOT_URLCONF),
    )


def menu_html(request: HttpRequest, template: str) -> SafeString:
    """One part of the menu (`PARTS`) for this request, rendered once per content."""
    if template not in PARTS:
        raise ValueError(f"{template} is not a menu part")
    html = _rendered(template, menu_of(request), *_key_bits())
    return mark_safe(html)  # rendered by our own templates, escaped there


def tools_html(request: HttpRequest) -> SafeString:
    """The header's language switch and log-out form, with this request's CSRF token."""
    return csrfslot.filled(request, _rendered(TOOLS, tools_of(request), *_key_bits()))


def menu_cache_clear() -> None:
    """Forget every rendered menu (the development server's template reloads call this)."""
    _rendered.cache_clear()


def template_changed(sender: object, file_path: object, **kwargs: object) -> None:
    """`autoreload.file_changed` receiver: the development server reloads edited templates
    without restarting, so the menus drawn from them go too."""
    if str(file_path).endswith(".html"):
        menu_cache_clear()
