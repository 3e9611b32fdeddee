"""The plan panels of the analysis pages (see ``plans.panels``).

Usage: {% load plans_panels %} {% plan_summary organisation year as plan %}
{% planned_actions organisation family number as actions %}
"""

from __future__ import annotations

from django import template

from ita.models import Organisation
from plans import panels

register = template.Library()


@register.simple_tag
def plan_summary(organisation: Organisation, analysed_year: int | None) -> panels.PlanSummary:
    return panels.plan_summary(organisation, analysed_year)


@register.simple_tag
def planned_actions(
    organisation: Organisation, family: str, number: int
) -> list[panels.PlannedAction]:
    return panels.planned_actions(organisation, family, number)


@register.simple_tag
def previous_outcomes(
    organisation: Organisation, analysed_year: int | None
) -> panels.PreviousOutcomes:
    return panels.previous_outcomes(organisation, analysed_year)
