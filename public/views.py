"""The public transparency pages: no login, read-only, no cookies, cached by data version."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ita.charts.svg import Series, line_chart
from ita.thai import format_score
from public import queries
from public.models import PublicPage


def _history_chart(years: list[queries.PublicYear]) -> str:
    ordered = sorted((y for y in years if y.overall is not None), key=lambda y: y.fiscal_year)
    if not ordered:
        return ""
    return line_chart(
        [str(y.fiscal_year) for y in ordered],
        [Series(_("Overall score"), [y.overall for y in ordered])],
        title=_("Overall score by fiscal year"),
        desc=", ".join(f"{y.fiscal_year}: {format_score(y.overall)}" for y in ordered),
        thai=True,
    )


def _render(request: HttpRequest, page: PublicPage, year: int | None) -> HttpResponse:
    years = queries.published_years(page)
    if year is not None:
        if year not in years:
            raise Http404
        years = [year]
    key = f"public:{page.pk}:{year or 'all'}:{queries.data_version(page, years)}"
    html = cache.get(key)
    if html is None:
        shown = queries.public_years(page, years)
        latest = shown[0] if shown else None
        path = request.path
        html = render_to_string(
            "public/page.html",
            {
                "organisation": page.organisation,
                "page": page,
                "year": year,
                "years": shown,
                "latest": latest,
                "latest_score": format_score(latest.overall) if latest else "",
                "chart": _history_chart(shown) if year is None else "",
                "signed_documents": queries.signed_documents(page, year),
                "og_url": request.build_absolute_uri(path),
            },
        )
        cache.set(key, html, 24 * 3600)
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _render(request, queries.public_page_or_404(slug), None)


@require_safe
def year_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    return _render(request, queries.public_page_or_404(slug), year)


@require_safe
def signed_document(request: HttpRequest, slug: str, year: int, document_id: int) -> HttpResponse:
    """A signed PDF of a published year, as stored: no login, no session, no cookie."""
    document = queries.public_signed_document(queries.public_page_or_404(slug), year, document_id)
    response = HttpResponse(document.read(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, document.download_name())
    response["ETag"] = f'"{document.sha256}"'
    patch_cache_control(response, public=True, max_age=3600)
    return response
