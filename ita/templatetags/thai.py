"""Template filters for Buddhist-era dates, Thai digits and published-score formatting.

Usage: {% load thai %} {{ day|be_date }} {{ year|thai_digits }} {{ score|score }}
Pass "thai" as the argument to get Thai digits: {{ day|be_date:"thai" }}.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from ita import thai

register = template.Library()


def _wants_thai(arg: str | None) -> bool:
    return bool(arg) and "thai" in str(arg)


@register.filter
def be_date(value: date | datetime | None, arg: str | None = None) -> str:
    """27 พฤศจิกายน 2569; arg may contain "short" and/or "thai"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return thai.format_date(value, short="short" in str(arg or ""), thai=_wants_thai(arg))


@register.filter
def be_month(value: date | None, arg: str | None = None) -> str:
    return "" if not value else thai.format_month(value, thai=_wants_thai(arg))


@register.filter
def be_year(value: date | int | None, arg: str | None = None) -> str:
    if value is None or value == "":
        return ""
    year = thai.be_year(value.year) if isinstance(value, date) else int(value)
    return thai.digits(year, thai=_wants_thai(arg))


@register.filter(name="thai_digits")
def thai_digits_filter(value: object, enabled: object = True) -> str:
    if value is None:
        return ""
    return thai.thai_digits(value) if enabled else str(value)


@register.filter
def score(value: Decimal | float | None, arg: str | None = None) -> str:
    return thai.format_score(value, thai=_wants_thai(arg))
