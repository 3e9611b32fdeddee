"""ITA scoring rules as pure functions over plain values (no ORM).

The NACC publishes rounded numbers and not every roll-up rule is public, so the app keeps
the published value as the truth and computes its own only as a check. "Computed" here
means: from what is there. An indicator is computed from its questions or items when the
year's rule is known; a tool from its indicators (published where present, else computed);
the overall from the tools with the year's weights; the level from the year's bands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ita.enums import Aggregation

# Published values are rounded to 2 decimals at every step, so a recomputation can drift by
# a few hundredths; differences beyond these are worth a human look.
INDICATOR_TOLERANCE = Decimal("0.01")
TOOL_TOLERANCE = Decimal("0.02")
OVERALL_TOLERANCE = Decimal("0.02")

# How a tool aggregates (one source: ita.enums.Aggregation).
QUESTION_MEAN = Aggregation.QUESTION_MEAN
CHANNEL_MEAN = Aggregation.CHANNEL_MEAN
SUBINDICATOR_MEAN = Aggregation.SUBINDICATOR_MEAN
PUBLISHED_ONLY = Aggregation.PUBLISHED_ONLY

TWO_PLACES = Decimal("0.01")


def round_score(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals, the way scores are published."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


@dataclass(frozen=True)
class Check:
    """A published value beside the one computed from the details, if either exists."""

    published: Decimal | None
    computed: Decimal | None
    tolerance: Decimal

    @property
    def computed_rounded(self) -> Decimal | None:
        return None if self.computed is None else round_score(self.computed)

    @property
    def difference(self) -> Decimal | None:
        if self.published is None or self.computed is None:
            return None
        return round_score(self.computed) - self.published

    @property
    def mismatch(self) -> bool:
        difference = self.difference
        return difference is not None and abs(difference) > self.tolerance

    @property
    def value(self) -> Decimal | None:
        """The number to use further up: the published one when there is one."""
        return self.published if self.published is not None else self.computed


@dataclass(frozen=True)
class ChannelScore:
    question: str
    channel: str | None
    score: Decimal


@dataclass(frozen=True)
class ItemScore:
    item: str
    sub_indicator: str
    score: Decimal


def indicator_from_questions(scores: Sequence[ChannelScore]) -> Decimal | None:
    """IIT (and single-channel EIT): the mean of the question scores."""
    return mean(s.score for s in scores)


def indicator_from_channels(scores: Sequence[ChannelScore]) -> Decimal | None:
    """EIT 2566 on: the mean of each channel's mean over its questions."""
    by_channel: dict[str | None, list[Decimal]] = {}
    for s in scores:
        by_channel.setdefault(s.channel, []).append(s.score)
    return mean(m for m in (mean(v) for v in by_channel.values()) if m is not None)


def indicator_from_subindicators(items: Sequence[ItemScore]) -> Decimal | None:
    """OIT up to 2566: the mean of sub-indicator means, each the mean of its items."""
    by_sub: dict[str, list[Decimal]] = {}
    for item in items:
        by_sub.setdefault(item.sub_indicator, []).append(item.score)
    return mean(m for m in (mean(v) for v in by_sub.values()) if m is not None)


def compute_indicator(
    aggregation: str,
    questions: Sequence[ChannelScore] = (),
    items: Sequence[ItemScore] = (),
) -> Decimal | None:
    if aggregation == QUESTION_MEAN:
        return indicator_from_questions(questions) if questions else mean(i.score for i in items)
    if aggregation == CHANNEL_MEAN:
        return indicator_from_channels(questions)
    if aggregation == SUBINDICATOR_MEAN:
        return indicator_from_subindicators(items) if items else mean(q.score for q in questions)
    return None


@dataclass(frozen=True)
class BandRule:
    label: str
    min_overall: Decimal
    min_each_tool: Decimal | None = None
    passes: bool = False


def rate(
    overall: Decimal | None, tool_scores: Mapping[str, Decimal], bands: Sequence[BandRule]
) -> BandRule | None:
    """The first band (in the given order) whose thresholds the scores meet.

    The comparison uses the published precision (2 decimals), so 84.995 counts as 85.00.
    """
    if overall is None:
        return None
    overall = round_score(overall)
    tools = [round_score(v) for v in tool_scores.values()]
    for band in bands:
        if overall < band.min_overall:
            continue
        if band.min_each_tool is not None:
            if not tools:
                return None  # the level depends on tool scores nobody has entered
            if any(v < band.min_each_tool for v in tools):
                continue
        return band
    return None


def weighted_overall(
    tool_scores: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]
) -> Decimal | None:
    """Weighted mean of tool scores; None unless every weighted tool has a score."""
    total_weight = sum(weights.values(), Decimal(0))
    if not weights or total_weight == 0:
        return None
    total = Decimal(0)
    for code, weight in weights.items():
        score = tool_scores.get(code)
        if score is None:
            return None
        total += score * weight
    return total / total_weight


@dataclass(frozen=True)
class IndicatorInput:
    number: int
    tool: str
    published: Decimal | None = None
    questions: Sequence[ChannelScore] = ()
    items: Sequence[ItemScore] = ()


@dataclass(frozen=True)
class ToolInput:
    code: str
    weight: Decimal
    aggregation: str
    published: Decimal | None = None


@dataclass(frozen=True)
class AssessmentInput:
    tools: Sequence[ToolInput]
    indicators: Sequence[IndicatorInput]
    bands: Sequence[BandRule]
    published_overall: Decimal | None = None
    published_level: str = ""


@dataclass(frozen=True)
class IndicatorOutcome:
    number: int
    tool: str
    check: Check


@dataclass(frozen=True)
class ToolOutcome:
    code: str
    weight: Decimal
    check: Check


@dataclass(frozen=True)
class AssessmentScores:
    indicators: list[IndicatorOutcome]
    tools: list[ToolOutcome]
    overall: Check
    published_level: str
    computed_level: str | None
    passes: bool | None
    mismatches: list[str] = field(default_factory=list)

    @property
    def level_mismatch(self) -> bool:
        return bool(
            self.published_level
            and self.computed_level
            and self.published_level.strip() != self.computed_level
        )

    @property
    def has_mismatch(self) -> bool:
        return bool(self.mismatches)

    def indicator(self, number: int) -> IndicatorOutcome | None:
        return next((i for i in self.indicators if i.number == number), None)

    def tool(self, code: str) -> ToolOutcome | None:
        return next((t for t in self.tools if t.code == code), None)


def evaluate(data: AssessmentInput) -> AssessmentScores:
    """Compute every level of an assessment from what is there, and compare with published."""
    aggregation = {t.code: t.aggregation for t in data.tools}
    indicators = [
        IndicatorOutcome(
            number=ind.number,
            tool=ind.tool,
            check=Check(
                published=ind.published,
                computed=compute_indicator(
                    aggregation.get(ind.tool, PUBLISHED_ONLY), ind.questions, ind.items
                ),
                tolerance=INDICATOR_TOLERANCE,
            ),
        )
        for ind in sorted(data.indicators, key=lambda i: i.number)
    ]

    tools: list[ToolOutcome] = []
    for tool in data.tools:
        values = [i.check.value for i in indicators if i.tool == tool.code]
        known = [v for v in values if v is not None]
        # A tool is computed only when all its indicators have a value: a partial mean
        # would look like a real score.
        computed = mean(known) if known and len(known) == len(values) else None
        tools.append(
            ToolOutcome(
                code=tool.code,
                weight=tool.weight,
                check=Check(published=tool.published, computed=computed, tolerance=TOOL_TOLERANCE),
            )
        )

    # Overall from computed tool means where we have them, else the published tool score.
    tool_values = {
        t.code: (t.check.computed if t.check.computed is not None else t.check.published)
        for t in tools
    }
    overall = Check(
        published=data.published_overall,
        computed=weighted_overall(tool_values, {t.code: t.weight for t in data.tools}),
        tolerance=OVERALL_TOLERANCE,
    )
    # The NACC rates its own (published) figures, so the level check prefers them too.
    rating_tools = {t.code: t.check.value for t in tools if t.check.value is not None}
    if len(rating_tools) < len(tools):
        rating_tools = {}
    band = rate(overall.value, rating_tools, data.bands)

    mismatches = [f"indicator {i.number}" for i in indicators if i.check.mismatch]
    mismatches += [f"tool {t.code}" for t in tools if t.check.mismatch]
    if overall.mismatch:
        mismatches.append("overall")
    scores = AssessmentScores(
        indicators=indicators,
        tools=tools,
        overall=overall,
        published_level=data.published_level,
        computed_level=band.label if band else None,
        passes=band.passes if band else None,
        mismatches=mismatches,
    )
    if scores.level_mismatch:
        scores.mismatches.append("level")
    return scores
