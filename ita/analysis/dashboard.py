"""The dashboard of one year: its indicators with their change, and where to improve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ita.analysis.figures import (
    Delta,
    Direction,
    IndicatorFigure,
    ItemFigure,
    QuestionFigure,
    ToolFigure,
    YearFigures,
    delta,
    previous_comparable,
)

# With nothing below the line and nothing falling, the dashboard still names the lowest few.
LOWEST_COUNT = 3
LOWEST_QUESTION_COUNT = 5

# --- Indicators of one year, with their change ---------------------------------------------


class Concern(StrEnum):
    BELOW = "below"  # under the pass line
    FALLING = "falling"  # lower than the previous comparable year
    LOWEST = "lowest"  # among the lowest, named when nothing else stands out


@dataclass(frozen=True)
class IndicatorChange:
    figure: IndicatorFigure
    change: Delta | None
    concerns: tuple[Concern, ...] = ()

    @property
    def number(self) -> int:
        return self.figure.number

    @property
    def value(self) -> Decimal | None:
        return self.figure.value

    @property
    def weak(self) -> bool:
        return bool(self.concerns)

    @property
    def below(self) -> bool:
        return Concern.BELOW in self.concerns


def indicator_changes(current: YearFigures, previous: YearFigures | None) -> list[IndicatorChange]:
    """Each indicator of `current` with its change against `previous` and its concerns."""
    changes = []
    for figure in current.indicators:
        before = previous.indicator(figure.number) if previous else None
        change = delta(
            figure.value,
            before.value if before else None,
            previous.fiscal_year if previous else 0,
        )
        concerns: list[Concern] = []
        if current.lines.is_weak(figure.value):
            concerns.append(Concern.BELOW)
        if change is not None and change.direction is Direction.DOWN:
            concerns.append(Concern.FALLING)
        changes.append(IndicatorChange(figure=figure, change=change, concerns=tuple(concerns)))
    return changes


def weakest_indicators(
    changes: Sequence[IndicatorChange], *, lowest: int = LOWEST_COUNT
) -> list[IndicatorChange]:
    """Indicators below the line or falling, lowest first; else the `lowest` lowest ones."""
    scored = [c for c in changes if c.value is not None]
    flagged = [c for c in scored if c.weak]
    if flagged:
        return sorted(flagged, key=lambda c: (c.value, c.number))
    ranked = sorted(scored, key=lambda c: (c.value, c.number))[:lowest]
    return [
        IndicatorChange(figure=c.figure, change=c.change, concerns=(Concern.LOWEST,))
        for c in ranked
    ]


@dataclass(frozen=True)
class WeakQuestion:
    question: QuestionFigure
    below: bool


def weakest_questions(
    year: YearFigures, *, lowest: int = LOWEST_QUESTION_COUNT
) -> list[WeakQuestion]:
    """Questions under the pass line (all of them), or else the `lowest` lowest, lowest first."""
    ranked = sorted(year.questions, key=lambda q: (q.value, q.indicator, q.order, q.code))
    under = [WeakQuestion(q, True) for q in ranked if year.lines.is_weak(q.value)]
    return under or [WeakQuestion(q, False) for q in ranked[:lowest]]


def items_needing_work(year: YearFigures) -> list[ItemFigure]:
    """Open-data items that did not fully pass, lowest score first."""
    return sorted(
        (i for i in year.items if i.needs_work),
        key=lambda i: (i.score if i.score is not None else Decimal(-1), i.order, i.code),
    )


# --- Dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    year: YearFigures
    previous: YearFigures | None
    years: tuple[YearFigures, ...]  # every year of the organisation, oldest first
    overall_change: Delta | None
    indicators: list[IndicatorChange]
    weak_indicators: list[IndicatorChange]
    weak_questions: list[WeakQuestion]
    weak_items: list[ItemFigure]
    tool_changes: list[tuple[ToolFigure, Delta | None]]

    @property
    def older_family_years(self) -> list[int]:
        """Earlier years that cannot be compared with this one (another family)."""
        return [
            y.fiscal_year
            for y in self.years
            if y.fiscal_year < self.year.fiscal_year and y.family != self.year.family
        ]


def dashboard(years: Sequence[YearFigures], fiscal_year: int | None = None) -> Dashboard | None:
    """The dashboard of `fiscal_year` (default: the latest); None when there is no such year."""
    if not years:
        return None
    ordered = tuple(sorted(years, key=lambda y: y.fiscal_year))
    wanted = ordered[-1].fiscal_year if fiscal_year is None else fiscal_year
    year = next((y for y in ordered if y.fiscal_year == wanted), None)
    if year is None:
        return None
    previous = previous_comparable(ordered, year.fiscal_year)
    changes = indicator_changes(year, previous)
    return Dashboard(
        year=year,
        previous=previous,
        years=ordered,
        overall_change=(
            delta(year.overall.value, previous.overall.value, previous.fiscal_year)
            if previous
            else None
        ),
        indicators=changes,
        weak_indicators=weakest_indicators(changes),
        weak_questions=weakest_questions(year),
        weak_items=items_needing_work(year),
        tool_changes=[(tool, _tool_change(tool, previous)) for tool in year.tools],
    )


def _tool_change(tool: ToolFigure, previous: YearFigures | None) -> Delta | None:
    before = previous.tool(tool.code) if previous else None
    if previous is None or before is None:
        return None
    return delta(tool.value, before.value, previous.fiscal_year)
