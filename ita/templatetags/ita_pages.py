"""Small display helpers for the analysis pages.

Usage: {% load ita_pages %} {{ figure|local_name }} {{ change.difference|signed }}
{{ change|arrow }}
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from ita.analysis import Delta, Direction
from ita.analysis import signed as signed_text
from ita.enums import AgencyType

register = template.Library()


def english() -> bool:
    return (get_language() or "th").startswith("en")


@register.filter
def local_name(value: object) -> str:
    """`name_en` in the English interface when there is one, else the Thai `name`."""
    if value is None:
        return ""
    name_en = getattr(value, "name_en", "")
    if english() and name_en:
        return str(name_en)
    return str(getattr(value, "name", value))


@register.filter
def agency_type_label(value: str) -> str:
    """The agency type's name for a stored code; an unknown code as it is."""
    return str(AgencyType(value).label) if value in AgencyType.values else value


@register.filter
def signed(value: Decimal | None) -> str:
    return signed_text(value)


@register.filter
def arrow(change: Delta | None) -> str:
    """▲ / ▼ / ＝ beside a change, so its direction does not rely on colour alone."""
    if change is None:
        return ""
    return {Direction.UP: "▲", Direction.DOWN: "▼", Direction.SAME: "="}[change.direction]
