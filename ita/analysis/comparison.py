"""The year-over-year comparison: rows per indicator, overall cells, notes and questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ita.analysis.figures import (
    Delta,
    IndicatorFigure,
    YearFigures,
    delta,
)

# --- Year-over-year comparison -------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonCell:
    fiscal_year: int
    value: Decimal | None
    mismatch: bool = False
    change: Delta | None = None  # against the previous selected year of the same family


@dataclass(frozen=True)
class ComparisonRow:
    family: str
    number: int
    name: str  # the name in the latest year that has the indicator
    tool: str
    cells: tuple[ComparisonCell | None, ...]  # one per selected year; None: not in that year
    name_en: str = ""

    def cell(self, fiscal_year: int) -> ComparisonCell | None:
        return next((c for c in self.cells if c and c.fiscal_year == fiscal_year), None)

    @property
    def overall_change(self) -> Delta | None:
        """From the first to the last selected year that has a score."""
        present = [c for c in self.cells if c is not None and c.value is not None]
        if len(present) < 2:
            return None
        return delta(present[-1].value, present[0].value, present[0].fiscal_year)


def comparison_rows(years: Sequence[YearFigures]) -> list[ComparisonRow]:
    """Indicators × years, matched by indicator number within each framework family."""
    ordered = sorted(years, key=lambda y: y.fiscal_year)
    keys: list[tuple[str, int]] = []
    for year in ordered:
        for figure in year.indicators:
            if (year.family, figure.number) not in keys:
                keys.append((year.family, figure.number))
    family_order = {f: i for i, f in enumerate(dict.fromkeys(y.family for y in reversed(ordered)))}
    keys.sort(key=lambda k: (family_order[k[0]], k[1]))

    rows = []
    for family, number in keys:
        cells: list[ComparisonCell | None] = []
        last: ComparisonCell | None = None
        latest: IndicatorFigure | None = None
        for year in ordered:
            figure = year.indicator(number) if year.family == family else None
            if figure is None:
                cells.append(None)
                continue
            latest = figure
            cell = ComparisonCell(
                fiscal_year=year.fiscal_year,
                value=figure.value,
                mismatch=figure.check.mismatch,
                change=delta(figure.value, last.value, last.fiscal_year) if last else None,
            )
            cells.append(cell)
            if cell.value is not None:
                last = cell
        assert latest is not None
        rows.append(
            ComparisonRow(
                family=family,
                number=number,
                name=latest.name,
                tool=latest.tool,
                cells=tuple(cells),
                name_en=latest.name_en,
            )
        )
    return rows


@dataclass(frozen=True)
class OverallCell:
    fiscal_year: int
    value: Decimal | None
    level: str
    change: Delta | None


def overall_cells(years: Sequence[YearFigures]) -> list[OverallCell]:
    """The overall score per year, each with its change against the previous selected year."""
    cells = []
    last: YearFigures | None = None
    for year in sorted(years, key=lambda y: y.fiscal_year):
        change = None
        if last is not None and last.family == year.family:
            change = delta(year.overall.value, last.overall.value, last.fiscal_year)
        cells.append(OverallCell(year.fiscal_year, year.overall.value, year.level, change))
        if year.overall.value is not None:
            last = year
    return cells


class NoteKind(StrEnum):
    FAMILIES = "families"  # years from different framework families: not joined
    RENAMED = "renamed"  # same number, different name in some years
    FRAMEWORKS = "frameworks"  # different frameworks (weights, rules, questions) in one family


@dataclass(frozen=True)
class ComparisonNote:
    kind: NoteKind
    number: int | None = None
    groups: tuple[tuple[str, tuple[int, ...]], ...] = field(default_factory=tuple)


def comparison_notes(years: Sequence[YearFigures]) -> list[ComparisonNote]:
    """Why a comparison of these years needs care; empty when they compare cleanly.

    `groups` pairs a label (a family, an indicator name or a framework name) with its years.
    """
    ordered = sorted(years, key=lambda y: y.fiscal_year)
    notes: list[ComparisonNote] = []
    families: dict[str, list[int]] = {}
    for year in ordered:
        families.setdefault(year.family, []).append(year.fiscal_year)
    if len(families) > 1:
        notes.append(
            ComparisonNote(
                NoteKind.FAMILIES, groups=tuple((f, tuple(ys)) for f, ys in families.items())
            )
        )
    frameworks = {y.framework_id for y in ordered}
    if len(frameworks) > 1:
        notes.append(
            ComparisonNote(
                NoteKind.FRAMEWORKS,
                groups=tuple((y.framework_name, (y.fiscal_year,)) for y in ordered),
            )
        )
    for family in families:
        in_family = [y for y in ordered if y.family == family]
        numbers = sorted({i.number for y in in_family for i in y.indicators})
        for number in numbers:
            names: dict[str, list[int]] = {}
            for year in in_family:
                figure = year.indicator(number)
                if figure is not None:
                    names.setdefault(figure.name, []).append(year.fiscal_year)
            if len(names) > 1:
                notes.append(
                    ComparisonNote(
                        NoteKind.RENAMED,
                        number=number,
                        groups=tuple((n, tuple(ys)) for n, ys in names.items()),
                    )
                )
    return notes


def comparable_questions(years: Sequence[YearFigures]) -> bool:
    """Questions and items are numbered per framework: compare them only within one."""
    return len({y.framework_id for y in years}) == 1


@dataclass(frozen=True)
class QuestionRow:
    code: str
    indicator: int
    theme: str
    values: tuple[Decimal | None, ...]  # one per year


def question_comparison(years: Sequence[YearFigures]) -> list[QuestionRow] | None:
    """Questions × years when all years share one framework; None otherwise (never joined)."""
    if not years or not comparable_questions(years):
        return None
    ordered = sorted(years, key=lambda y: y.fiscal_year)
    first = {q.code: q for y in ordered for q in y.questions}
    rows = []
    for code, question in sorted(
        first.items(), key=lambda kv: (kv[1].indicator, kv[1].order, kv[0])
    ):
        values = tuple(
            next((q.value for q in y.questions if q.code == code), None) for y in ordered
        )
        rows.append(QuestionRow(code, question.indicator, question.theme, values))
    return rows
