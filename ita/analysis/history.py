"""One indicator across the years of an organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ita.analysis.figures import (
    ChannelName,
    Delta,
    IndicatorFigure,
    ItemFigure,
    QuestionFigure,
    YearFigures,
    delta,
)

# --- One indicator across years ------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorYear:
    year: YearFigures
    figure: IndicatorFigure
    change: Delta | None
    questions: list[QuestionFigure]
    items: list[ItemFigure]
    channels: list[ChannelName]

    @property
    def weak(self) -> bool:
        return self.year.lines.is_weak(self.figure.value)


@dataclass(frozen=True)
class IndicatorHistory:
    number: int
    name: str
    family: str
    years: list[IndicatorYear]  # newest first
    other_family_years: list[int]

    @property
    def latest(self) -> IndicatorYear:
        return self.years[0]


def indicator_history(years: Sequence[YearFigures], number: int) -> IndicatorHistory | None:
    """Indicator `number` in every year of the latest year's family; None if it never appears."""
    ordered = sorted(years, key=lambda y: y.fiscal_year)
    if not ordered:
        return None
    family = ordered[-1].family
    entries: list[IndicatorYear] = []
    last: tuple[int, Decimal | None] | None = None
    for year in ordered:
        figure = year.indicator(number) if year.family == family else None
        if figure is None:
            continue
        questions = year.questions_of(number)
        entries.append(
            IndicatorYear(
                year=year,
                figure=figure,
                change=delta(figure.value, last[1], last[0]) if last else None,
                questions=questions,
                items=year.items_of(number),
                channels=year.channels_used_by(questions),
            )
        )
        if figure.value is not None:
            last = (year.fiscal_year, figure.value)
    if not entries:
        return None
    entries.reverse()
    return IndicatorHistory(
        number=number,
        name=entries[0].figure.name,
        family=family,
        years=entries,
        other_family_years=[y.fiscal_year for y in ordered if y.family != family],
    )


def indicator_numbers(years: Sequence[YearFigures]) -> list[int]:
    """Indicator numbers of the latest year's family, for navigation."""
    if not years:
        return []
    family = max(years, key=lambda y: y.fiscal_year).family
    return sorted({i.number for y in years if y.family == family for i in y.indicators})
