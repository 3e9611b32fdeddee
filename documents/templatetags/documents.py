"""Template helpers of the printed documents: one digit system for a whole document.

Usage: {% load documents %} {{ text|digits:thai }} {% period start end thai %}
where `thai` is a boolean (the document's choice of Thai or Arabic digits).
"""

from __future__ import annotations

from datetime import date

from django import template

from ita.thai import as_digits, format_period

register = template.Library()


@register.filter
def digits(value: object, thai: object = True) -> str:
    """Every digit in Thai (or, with a false argument, Arabic), whatever the text held."""
    if value is None:
        return ""
    return as_digits(value, thai=bool(thai))


@register.simple_tag
def period(start: date | None, end: date | None, thai: object = True) -> str:
    """ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙."""
    return format_period(start, end, thai=bool(thai))
