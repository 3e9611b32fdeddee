"""What one year looks like as plain values (``YearFigures`` and its parts), and its change
against an earlier comparable year (``Delta``). Built by ``ita.queries.year_figures``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ita.judgement import DEFAULT_LINES, Lines, item_is_weak
from ita.scoring import Check, mean, round_score

# --- What one year looks like -------------------------------------------------------------


@dataclass(frozen=True)
class ToolFigure:
    code: str
    name: str
    name_en: str
    weight: Decimal
    check: Check

    @property
    def value(self) -> Decimal | None:
        return self.check.value


@dataclass(frozen=True)
class IndicatorFigure:
    number: int
    name: str
    name_en: str
    tool: str
    check: Check
    analysis: str = ""
    remark: str = ""
    verdict: str = ""  # the organisation's verdict; "" follows the drafted one

    @property
    def value(self) -> Decimal | None:
        return self.check.value


@dataclass(frozen=True)
class ChannelValue:
    channel: str  # the channel's code, "" for a single-channel question
    score: Decimal


@dataclass(frozen=True)
class QuestionFigure:
    code: str
    indicator: int
    theme: str
    text: str
    scores: tuple[ChannelValue, ...]
    order: int = 0

    @property
    def value(self) -> Decimal:
        """The question's score: the mean of its channels (there is one for IIT)."""
        value = mean(s.score for s in self.scores)
        assert value is not None  # a question figure is only built from recorded scores
        return round_score(value)

    def score_for(self, channel: str) -> Decimal | None:
        return next((s.score for s in self.scores if s.channel == channel), None)


@dataclass(frozen=True)
class ItemFigure:
    code: str
    indicator: int
    title: str
    score: Decimal | None
    status: str  # "pass", "partial", "fail" or ""
    reason: str = ""
    sub_indicator: str = ""
    order: int = 0

    @property
    def needs_work(self) -> bool:
        """Users plan actions from items that did not pass (``ita.judgement``)."""
        return item_is_weak(self.status, self.score)


@dataclass(frozen=True)
class ChannelName:
    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class YearFigures:
    """One organisation's published (and computed) results for one fiscal year."""

    fiscal_year: int
    framework_id: int
    framework_name: str
    family: str
    overall: Check
    published_level: str
    computed_level: str | None
    level_mismatch: bool
    tools: tuple[ToolFigure, ...]
    indicators: tuple[IndicatorFigure, ...]
    questions: tuple[QuestionFigure, ...] = ()
    items: tuple[ItemFigure, ...] = ()
    channels: tuple[ChannelName, ...] = ()
    mismatches: tuple[str, ...] = ()
    lines: Lines = DEFAULT_LINES  # the year's pass and "improve below" lines
    passes: bool | None = None  # by the computed level; None when it cannot be rated
    framework_provisional: bool = False  # pages computed from it say so

    @property
    def level(self) -> str:
        return self.published_level or self.computed_level or ""

    def indicator(self, number: int) -> IndicatorFigure | None:
        return next((i for i in self.indicators if i.number == number), None)

    def tool(self, code: str) -> ToolFigure | None:
        return next((t for t in self.tools if t.code == code), None)

    def questions_of(self, number: int) -> list[QuestionFigure]:
        return [q for q in self.questions if q.indicator == number]

    def items_of(self, number: int) -> list[ItemFigure]:
        return [i for i in self.items if i.indicator == number]

    def channels_used_by(self, questions: Iterable[QuestionFigure]) -> list[ChannelName]:
        used = {s.channel for q in questions for s in q.scores if s.channel}
        return [c for c in self.channels if c.code in used]


# --- Change against an earlier year --------------------------------------------------------


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


@dataclass(frozen=True)
class Delta:
    current: Decimal
    previous: Decimal
    previous_year: int

    @property
    def difference(self) -> Decimal:
        return round_score(self.current) - round_score(self.previous)

    @property
    def direction(self) -> Direction:
        if self.difference > 0:
            return Direction.UP
        if self.difference < 0:
            return Direction.DOWN
        return Direction.SAME


def delta(current: Decimal | None, previous: Decimal | None, previous_year: int) -> Delta | None:
    if current is None or previous is None:
        return None
    return Delta(current=current, previous=previous, previous_year=previous_year)


def signed(value: Decimal | None) -> str:
    """+1.25 / -0.40 / 0.00, the way changes are printed."""
    if value is None:
        return ""
    value = round_score(value)
    return f"+{value:.2f}" if value > 0 else f"{value:.2f}"


def previous_comparable(years: Sequence[YearFigures], fiscal_year: int) -> YearFigures | None:
    """The latest earlier year of the same framework family (years may be missing)."""
    current = next((y for y in years if y.fiscal_year == fiscal_year), None)
    if current is None:
        return None
    earlier = [y for y in years if y.fiscal_year < fiscal_year and y.family == current.family]
    return max(earlier, key=lambda y: y.fiscal_year, default=None)
