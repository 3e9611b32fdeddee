"""The link to an organisation's public page, for the pages its members use."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ita.models import Organisation
from public.models import PublicPage

register = template.Library()


@register.inclusion_tag("public/includes/link.html")
def public_page_link(organisation: Organisation) -> dict[str, object]:
    page = PublicPage.objects.filter(organisation=organisation, is_enabled=True).first()
    return {"public_page": page}


@register.simple_tag
def public_year_url(organisation: Organisation | int, year: int | None) -> str:
    """The stable public year page of an organisation, or "" while that year is not public.

    Lower pages (the OIT readiness board) link the items the app itself produces here
    without importing this app (one query per call).
    """
    if year is None:
        return ""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    slug = (
        PublicPage.objects.filter(
            organisation_id=organisation_id, is_enabled=True, years__fiscal_year=year
        )
        .values_list("slug", flat=True)
        .first()
    )
    return reverse("public:year", args=[slug, year]) if slug else ""
