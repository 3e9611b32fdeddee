"""The link to an organisation's public page, for the pages its members use."""

from __future__ import annotations

from django import template

from ita.models import Organisation
from public.models import PublicPage

register = template.Library()


@register.inclusion_tag("public/includes/link.html")
def public_page_link(organisation: Organisation) -> dict[str, object]:
    page = PublicPage.objects.filter(organisation=organisation, is_enabled=True).first()
    return {"public_page": page}
