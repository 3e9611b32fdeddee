"""Links to the documents, for the pages of the floors below (dashboard, plan page).

The dashboard (``ita``) and the plan page (``plans``) may not import this app; they load these
tags instead. The links are plain URLs: no query, so the pages' pinned counts do not move.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("documents/includes/year_links.html")
def year_document_links(organisation_id: int, fiscal_year: int) -> dict[str, object]:
    """The analysis report of the year shown, in each format, and the year's documents page."""
    return {"organisation_id": organisation_id, "year": fiscal_year}


@register.inclusion_tag("documents/includes/plan_links.html")
def plan_document_links(
    plan_id: int, organisation_id: int, analysed_year: int
) -> dict[str, object]:
    """The plan for the council and its follow-up reports, and the year's documents page."""
    return {"plan_id": plan_id, "organisation_id": organisation_id, "year": analysed_year}
