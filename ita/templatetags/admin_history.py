"""A simple-history change as the admin shows it: the field's name and readable values.

simple-history lists a change with the stored values ("สถานะ: draft → approved", "None →
2026-…", "False → True"); `history_change` gives a choice's label, ใช่/ไม่ใช่ for booleans
and a dash for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.db.models import Field
from django.db.models.options import Options
from django.utils.text import capfirst
from django.utils.translation import gettext

register = template.Library()


@dataclass(frozen=True)
class HistoryChange:
    label: str
    old: object
    new: object


def _shown(field: Field, value: object) -> object:
    # simple-history hands the values over as text ("None", "False", "draft"), and an
    # empty foreign key as "<deleted model> (pk=None)".
    text = "" if value is None else str(value)
    if text in ("", "None") or (field.is_relation and text.endswith("(pk=None)")):
        return "—"
    if field.get_internal_type() == "BooleanField" and text in ("True", "False"):
        return gettext("Yes") if text == "True" else gettext("No")
    if field.choices:
        return {str(key): label for key, label in field.flatchoices}.get(text, value)
    return value


def _field(opts: Options, name: str) -> Field | None:
    # simple-history has already replaced the field's code with its capitalised verbose name.
    for field in opts.fields:
        if name in (field.name, str(capfirst(field.verbose_name))):
            return field
    return None


@register.simple_tag
def history_change(change: dict[str, object], opts: Options) -> HistoryChange:
    """`change` is one entry of simple-history's `history_delta_changes`."""
    name, old, new = str(change["field"]), change["old"], change["new"]
    field = _field(opts, name)
    if field is None:  # many-to-many fields and anything unknown: as simple-history has it
        return HistoryChange(name, old, new)
    return HistoryChange(name, _shown(field, old), _shown(field, new))
