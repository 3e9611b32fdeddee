"""Rules a framework file must meet before anything is written, and what it would change.

Pure: plain values from `ita.frameworks.files` in, bilingual messages and row changes out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.enums import Aggregation, DataYear, DocumentRole, FrameworkStatus
from ita.frameworks.files import SHEETS, BandRow, FrameworkSpec, Sheet, row_values

THAI = re.compile(r"[\u0e00-\u0e7f]")
HUNDRED = Decimal("100")
YEARS = (2500, 2700)


def _duplicates(sheet: Sheet, keys: Iterable[object], column: str) -> list[str]:
    return [
        bilingual(
            gettext_noop("Sheet “%(sheet)s”: %(column)s “%(code)s” appears more than once."),
            sheet=sheet.title,
            column=column,
            code=key,
        )
        for key, count in Counter(keys).items()
        if count > 1
    ]


def _names(sheet: Sheet, rows: Sequence[Any]) -> list[str]:
    """Thai in the Thai column, none in the English one (a swapped or mixed pair is refused)."""
    errors = []
    for row in rows:
        thai_ok, english_thai = bool(THAI.search(row.name_th)), bool(THAI.search(row.name_en))
        if not thai_ok and english_thai:
            message = gettext_noop(
                "Sheet “%(sheet)s”, “%(key)s”: the Thai and English names are swapped."
            )
        elif not thai_ok:
            message = gettext_noop(
                "Sheet “%(sheet)s”, “%(key)s”: the Thai name “%(name)s” has no Thai in it."
            )
        elif english_thai:
            message = gettext_noop(
                "Sheet “%(sheet)s”, “%(key)s”: the English name “%(name_en)s” contains Thai."
            )
        else:
            continue
        errors.append(
            bilingual(
                message, sheet=sheet.title, key=row.key, name=row.name_th, name_en=row.name_en
            )
        )
    return errors


def _choice(sheet: Sheet, rows: Sequence[Any], name: str, allowed: Iterable[str]) -> list[str]:
    allowed = list(allowed)
    return [
        bilingual(
            gettext_noop(
                "Sheet “%(sheet)s”, “%(key)s”: “%(value)s” is not one of %(allowed)s "
                "in column “%(column)s”."
            ),
            sheet=sheet.title,
            key=row.key,
            value=getattr(row, name),
            allowed=", ".join(allowed),
            column=sheet.headers[name],
        )
        for row in rows
        if getattr(row, name) not in allowed
    ]


def _band_errors(bands: Sequence[BandRow]) -> list[str]:
    """Bands are checked in order and the first that fits is the level: every score from 0
    to 100 must reach exactly one band, and no band may be hidden behind an earlier one."""
    sheet = SHEETS[3]
    if not bands:
        return [bilingual(gettext_noop("Sheet “%(sheet)s” has no levels."), sheet=sheet.title)]
    errors = []
    for band in bands:
        for value in (band.min_overall, band.min_each_tool):
            if value is not None and not 0 <= value <= HUNDRED:
                errors.append(
                    bilingual(
                        gettext_noop("Sheet “%(sheet)s”, “%(key)s”: %(value)s is not 0–100."),
                        sheet=sheet.title,
                        key=band.label,
                        value=value,
                    )
                )
    ordered = sorted(bands, key=lambda b: b.order)
    lowest = (
        min(b.min_overall for b in ordered if b.min_each_tool is None)
        if any(b.min_each_tool is None for b in ordered)
        else None
    )
    if lowest is None or lowest > 0:
        errors.append(
            bilingual(
                gettext_noop(
                    "Sheet “%(sheet)s”: a gap in the levels: scores below %(score)s get no level "
                    "(the last level needs a minimum of 0 and no per-tool minimum)."
                ),
                sheet=sheet.title,
                score=lowest if lowest is not None else HUNDRED,
            )
        )
    for position, band in enumerate(ordered):
        for earlier in ordered[:position]:
            covers_tools = earlier.min_each_tool is None or (
                band.min_each_tool is not None and earlier.min_each_tool <= band.min_each_tool
            )
            if earlier.min_overall <= band.min_overall and covers_tools:
                errors.append(
                    bilingual(
                        gettext_noop(
                            "Sheet “%(sheet)s”: levels “%(earlier)s” and “%(band)s” overlap: "
                            "every score of “%(band)s” is already “%(earlier)s”, which is "
                            "checked first."
                        ),
                        sheet=sheet.title,
                        earlier=earlier.label,
                        band=band.label,
                    )
                )
                break
    return errors


def validate(spec: FrameworkSpec) -> list[str]:
    """Every reason to refuse the file; empty when it may be imported."""
    framework, (f_sheet, t_sheet, c_sheet, b_sheet, i_sheet, q_sheet, o_sheet) = (
        spec.framework,
        SHEETS,
    )
    errors: list[str] = []
    if not YEARS[0] <= framework.fiscal_year <= YEARS[1]:
        errors.append(
            bilingual(
                gettext_noop("The fiscal year %(year)s is not a Buddhist-era year (2500–2700)."),
                year=framework.fiscal_year,
            )
        )
    for name in ("family", "name"):
        if not getattr(framework, name):
            errors.append(
                bilingual(
                    gettext_noop("Sheet “%(sheet)s”: column “%(column)s” is empty."),
                    sheet=f_sheet.title,
                    column=f_sheet.headers[name],
                )
            )
    errors += _choice(f_sheet, [framework], "status", FrameworkStatus.values)

    errors += _duplicates(t_sheet, (t.code for t in spec.tools), t_sheet.headers["code"])
    errors += _names(t_sheet, spec.tools)
    errors += _choice(t_sheet, spec.tools, "aggregation", Aggregation.values)
    total = sum((t.weight for t in spec.tools), Decimal("0"))
    if total != HUNDRED:
        errors.append(
            bilingual(
                gettext_noop("Sheet “%(sheet)s”: the weights add up to %(total)s, not 100."),
                sheet=t_sheet.title,
                total=total.normalize() if total else 0,
            )
        )
    tools = {t.code for t in spec.tools}

    errors += _duplicates(c_sheet, (c.key for c in spec.channels), c_sheet.headers["code"])
    errors += _names(c_sheet, spec.channels)
    errors += _unknown(c_sheet, spec.channels, "tool", tools)

    errors += _duplicates(b_sheet, (b.label for b in spec.bands), b_sheet.headers["label"])
    errors += _duplicates(b_sheet, (b.order for b in spec.bands), b_sheet.headers["order"])
    errors += _band_errors(spec.bands)

    errors += _duplicates(i_sheet, (i.number for i in spec.indicators), i_sheet.headers["number"])
    errors += _names(i_sheet, spec.indicators)
    errors += _unknown(i_sheet, spec.indicators, "tool", tools)
    numbers = {i.number for i in spec.indicators}

    errors += _duplicates(q_sheet, (q.code for q in spec.questions), q_sheet.headers["code"])
    errors += _unknown(q_sheet, spec.questions, "indicator", numbers)
    errors += _duplicates(o_sheet, (o.code for o in spec.items), o_sheet.headers["code"])
    errors += _unknown(o_sheet, spec.items, "indicator", numbers)
    errors += _choice(o_sheet, spec.items, "data_year", DataYear.values)
    errors += _choice(o_sheet, spec.items, "document_role", DocumentRole.values)
    errors += _duplicates(
        o_sheet,
        (o.document_role for o in spec.items if o.document_role != DocumentRole.NONE),
        o_sheet.headers["document_role"],
    )
    for sheet, rows in ((q_sheet, spec.questions), (o_sheet, spec.items)):
        errors += [
            bilingual(gettext_noop("Sheet “%(sheet)s”: a row has no code."), sheet=sheet.title)
            for row in rows
            if not row.code
        ]
    return errors


def _unknown(sheet: Sheet, rows: Sequence[Any], name: str, known: set[Any]) -> list[str]:
    return [
        bilingual(
            gettext_noop(
                "Sheet “%(sheet)s”, “%(key)s”: %(column)s “%(value)s” is not in the file."
            ),
            sheet=sheet.title,
            key=row.key,
            column=sheet.headers[name],
            value=getattr(row, name),
        )
        for row in rows
        if getattr(row, name) not in known
    ]


# --- What an import would change ---------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: object
    new: object


@dataclass(frozen=True)
class RowChange:
    sheet: str  # the sheet's Thai title
    key: str
    kind: str  # "added", "changed" or "removed"
    fields: tuple[FieldChange, ...] = ()


def diff(old: FrameworkSpec | None, new: FrameworkSpec) -> list[RowChange]:
    """Per sheet and row (by its key): added, changed (each old → new) and removed rows."""
    changes: list[RowChange] = []
    old_sheets = {s.name: rows for s, rows in old.sheets()} if old else {}
    for sheet, rows in new.sheets():
        before = {row.key: row for row in old_sheets.get(sheet.name, ())}
        after = {row.key: row for row in rows}
        for key, row in after.items():
            previous = before.get(key)
            if previous is None:
                changes.append(RowChange(sheet.title, key, "added"))
                continue
            was, now = row_values(previous), row_values(row)
            fields = tuple(
                FieldChange(sheet.headers[name], was[name], now[name])
                for name in sheet.headers
                if was[name] != now[name]
            )
            if fields:
                changes.append(RowChange(sheet.title, key, "changed", fields))
        changes += [RowChange(sheet.title, key, "removed") for key in before if key not in after]
    return changes


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would do, shown before anything is written."""

    fiscal_year: int
    replaces: bool
    changes: tuple[RowChange, ...]
    refusals: tuple[str, ...] = ()  # why replacing needs an explicit permission

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)
