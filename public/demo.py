"""The demo organisation's public page, switched on with every year it has results for."""

from __future__ import annotations

from ita.models import Assessment, Organisation
from public.models import PublicPage, PublishedYear

DEMO_SLUG = "demo-khlong-hin-pun"


def demo_publish(organisation: Organisation) -> PublicPage:
    """Switch the public page on for `organisation` and publish its years (idempotent)."""
    page, _created = PublicPage.objects.update_or_create(
        organisation=organisation, defaults={"slug": DEMO_SLUG, "is_enabled": True}
    )
    years = Assessment.objects.filter(organisation=organisation).values_list(
        "framework__fiscal_year", flat=True
    )
    for year in years:
        PublishedYear.objects.get_or_create(page=page, fiscal_year=year)
    return page
