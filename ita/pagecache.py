"""Rendered page bodies cached under the versions of everything they print.

A page's main content (the part below the menu) is rendered once and kept in the figures
cache under a key made of data versions, never of time: the code and templates' digest, the
language, the page's path and query string, the organisation row as loaded, the viewer's
role bits the body shows (`is_staff`), the year figures' keys (`ita.queries.figures_key`)
and the tokens of the apps above this one that print into the body (plans' `plans_token`),
which those apps register here in their `AppConfig.ready` so that this app never imports
them. Per-request bits (the menu, the user's name, CSRF tokens, messages) stay outside.
Every token is read from the database on each request, so two workers never disagree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils import translation

from ita.models import Organisation

VersionSource = Callable[[int], str]
_SOURCES: dict[str, VersionSource] = {}
_CODE_VERSION = ""
# Switched off by the freshness tests' control run (proving the tests can fail).
ENABLED = True


def register_source(name: str, source: VersionSource) -> None:
    """`source(organisation_id)` returns a token that changes whenever what the app prints
    into an analysis page body changes (one query at most)."""
    _SOURCES[name] = source


def code_version() -> str:
    """A digest of the Python code, templates and catalogues: a deploy never serves a body
    rendered by the old code. Read once a process."""
    global _CODE_VERSION
    if not _CODE_VERSION:
        base = Path(settings.BASE_DIR)
        digest = hashlib.sha256()
        roots = ("ita", "plans", "documents", "public", "templates", "locale")
        for root in roots:
            for path in sorted((base / root).rglob("*")):
                if path.suffix in (".py", ".html", ".mo", ".txt") and path.is_file():
                    digest.update(str(path.relative_to(base)).encode())
                    digest.update(path.read_bytes())
        _CODE_VERSION = digest.hexdigest()[:12]
    return _CODE_VERSION


def organisation_row(organisation: Organisation) -> str:
    """Every field of the organisation row as loaded (an admin rename shows at once)."""
    return repr([(f.attname, getattr(organisation, f.attname)) for f in organisation._meta.fields])


def request_key(request: HttpRequest, page: str, owner: int, parts: Iterable[object]) -> str:
    """A body's key from the request bits every body prints (code, language, path, query
    string) and the page's own data versions `parts`."""
    head = [
        code_version(),
        translation.get_language() or "",
        request.path,
        request.GET.urlencode(),
    ]
    joined = "\x1f".join([*head, *(str(p) for p in parts)])
    return f"page-body:{page}:{owner}:{hashlib.sha256(joined.encode()).hexdigest()[:32]}"


def body_key(
    request: HttpRequest,
    page: str,
    organisation: Organisation,
    *,
    figures: Iterable[str] = (),
    extra: Iterable[object] = (),
    sources: Iterable[str] | None = None,
) -> str:
    """The key of an organisation page's body: equal only while everything it prints is
    unchanged. `figures` are the year figures' keys it prints
    (`ita.queries.organisation_assessment_keys`); `sources` names the registered tokens the
    body prints (all when None)."""
    names = sorted(_SOURCES) if sources is None else sorted(set(sources) & set(_SOURCES))
    user = request.user
    parts = [
        organisation_row(organisation),
        f"staff={getattr(user, 'is_staff', False)}",
        *figures,
        *(f"{name}={_SOURCES[name](organisation.pk)}" for name in names),
        *extra,
    ]
    return request_key(request, page, organisation.pk, parts)


def cached_body(key: str, render: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The page's rendered parts (body, title) from the cache, rendered on a miss."""
    cache = caches["figures"]
    found = cache.get(key) if ENABLED else None
    if found is None:
        found = render()
        if ENABLED:
            cache.set(key, found)
    return found
