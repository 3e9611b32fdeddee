"""What the analysis pages say about an organisation's years (pure: plain values, no ORM).

``ita.queries.organisation_years`` turns prefetched assessments into ``YearFigures``; the
functions here compare them: changes against the previous comparable year, the weakest
indicators, questions and open-data items, the year-over-year comparison rows and the notes
that warn when years do not compare.

Rules that come from the ITA method (see shared/reference/ita-method.md):
- indicator numbers keep their meaning within a framework *family*, so years are compared by
  indicator number only inside one family; other families get rows of their own;
- questions and items are numbered afresh each year, so they are compared only within one
  framework, never joined across years by code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ita.scoring import Check, mean, round_score

# The pass line of every ITA year so far; below it an indicator needs attention.
WEAK_BELOW = Decimal("85")
# With nothing below the line and nothing falling, the dashboard still names the lowest few.
LOWEST_COUNT = 3
LOWEST_QUESTION_COUNT = 5


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
        """Users plan actions from items that did not fully pass."""
        if self.status in ("partial", "fail"):
            return True
        return self.score is not None and self.score < Decimal("100")


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


def indicator_changes(
    current: YearFigures, previous: YearFigures | None, *, below: Decimal = WEAK_BELOW
) -> list[IndicatorChange]:
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
        if figure.value is not None and round_score(figure.value) < below:
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
    year: YearFigures, *, below: Decimal = WEAK_BELOW, lowest: int = LOWEST_QUESTION_COUNT
) -> list[WeakQuestion]:
    """Questions under the line (all of them), or else the `lowest` lowest, lowest first."""
    ranked = sorted(year.questions, key=lambda q: (q.value, q.indicator, q.order, q.code))
    under = [WeakQuestion(q, True) for q in ranked if q.value < below]
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


# --- One indicator across years ------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorYear:
    year: YearFigures
    figure: IndicatorFigure
    change: Delta | None
    questions: list[QuestionFigure]
    items: list[ItemFigure]
    channels: list[ChannelName]


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
