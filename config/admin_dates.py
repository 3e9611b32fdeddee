"""Dates in the admin in the Buddhist era, like every page and document of the app.

Django's admin prints a date or date-time field through `formats.localize`, whose year is
always the Gregorian one ("2 ธันวาคม 2026"). The changelists (`admin_list`) and read-only
fields (`helpers`) look `display_for_field` and `display_for_value` up in their own module,
so replacing them there (once, at start-up) reaches both; every other value is left to
Django's own functions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.admin import helpers
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.db import models
from django.utils import timezone

from ita.thai import format_date


def be_date(value: date | datetime) -> str:
    """ "2 ธันวาคม 2569" for a date, "2 ธันวาคม 2569 06:30" (Bangkok time) for a date-time."""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{format_date(local)} {local:%H:%M}"
    return format_date(value)


def display_for_field(
    value: Any, field: Any, empty_value_display: str, *args: Any, **kwargs: Any
) -> Any:
    dated = isinstance(field, (models.DateField, models.DateTimeField))
    if value is not None and dated and not getattr(field, "flatchoices", None):
        return be_date(value)
    return admin_utils.display_for_field(value, field, empty_value_display, *args, **kwargs)


def display_for_value(value: Any, empty_value_display: str, *args: Any, **kwargs: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return be_date(value)
    return admin_utils.display_for_value(value, empty_value_display, *args, **kwargs)


def install() -> None:
    for module in (admin_list, helpers):
        module.display_for_field = display_for_field
        module.display_for_value = display_for_value
