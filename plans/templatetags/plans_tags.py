"""Template filters of the plans pages: an action's period and its responsible divisions.

Usage: {% load plans_tags %} {{ action|period }} {{ action|responsible }}
"""

from __future__ import annotations

import calendar
from datetime import date

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ita.thai import format_period

register = template.Library()


def _english_month(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"


@register.filter
def period(action: object) -> str:
    """ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙ in Thai (as the plan document prints it); Gregorian in English."""
    start = getattr(action, "start_month", None)
    end = getattr(action, "end_month", None)
    if (get_language() or "th").startswith("th"):
        return format_period(start, end, thai=True)
    months = [_english_month(d) for d in (start, end) if d]
    if len(months) == 2 and months[0] == months[1]:
        months = months[:1]
    return " – ".join(months)


@register.filter
def responsible(action: object) -> str:
    """The divisions an action is given to, or "All divisions" (ทุกกอง)."""
    if getattr(action, "all_divisions", False):
        return _("All divisions")
    names = getattr(action, "division_names", None)
    if names is None:  # a live action rather than an approved snapshot
        names = [d.name for d in action.divisions.all()]  # type: ignore[attr-defined]
    return ", ".join(names) if names else "—"
