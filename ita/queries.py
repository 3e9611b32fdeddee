"""Reads that gather an assessment's details for scoring, with a fixed number of queries.

The analysis pages' year figures are computed once per data version and then read from the
"figures" cache (`organisation_years`); see `figures_key` for what the version covers.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import caches
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from ita.analysis import (
    ChannelName,
    ChannelValue,
    IndicatorFigure,
    ItemFigure,
    QuestionFigure,
    ToolFigure,
    YearFigures,
)
from ita.judgement import lines_of
from ita.models import (
    Assessment,
    Channel,
    Framework,
    Indicator,
    IndicatorResult,
    Item,
    ItemResult,
    Organisation,
    Question,
    QuestionScore,
    RatingBand,
    Tool,
    ToolResult,
)
from ita.prepared import PreparedValues
from ita.results import Catalogue
from ita.scoring import (
    AssessmentInput,
    AssessmentScores,
    BandRule,
    ChannelScore,
    IndicatorInput,
    ItemScore,
    ToolInput,
    evaluate,
)


def _scoring_prefetches() -> tuple[Prefetch, ...]:
    return (
        Prefetch("framework__tools", queryset=Tool.objects.order_by("order", "code")),
        Prefetch("framework__indicators", queryset=Indicator.objects.order_by("number")),
        Prefetch("framework__rating_bands", queryset=RatingBand.objects.order_by("order")),
        Prefetch("tool_results", queryset=ToolResult.objects.select_related("tool")),
        Prefetch("indicator_results", queryset=IndicatorResult.objects.select_related("indicator")),
        Prefetch(
            "question_scores",
            queryset=QuestionScore.objects.select_related("question", "channel"),
        ),
        Prefetch("item_results", queryset=ItemResult.objects.select_related("item")),
    )


def assessments_for_scoring(queryset: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    """Assessments with everything `scores_for` needs, in 8 queries whatever the count."""
    queryset = queryset if queryset is not None else Assessment.objects.all()
    return queryset.select_related("organisation", "framework").prefetch_related(
        *_scoring_prefetches()
    )


def framework_bands(framework: Framework) -> list[BandRule]:
    return [
        BandRule(
            label=b.label,
            min_overall=b.min_overall,
            min_each_tool=b.min_each_tool,
            passes=b.passes,
        )
        for b in framework.rating_bands.all()
    ]


def scoring_input(assessment: Assessment) -> AssessmentInput:
    """Turn a prefetched assessment (see `assessments_for_scoring`) into plain values."""
    framework = assessment.framework
    tools = list(framework.tools.all())
    tool_code = {t.pk: t.code for t in tools}
    published_tool = {r.tool_id: r.score for r in assessment.tool_results.all()}
    published_indicator = {r.indicator_id: r.score for r in assessment.indicator_results.all()}

    questions: dict[int, list[ChannelScore]] = {}
    for qs in assessment.question_scores.all():
        questions.setdefault(qs.question.indicator_id, []).append(
            ChannelScore(
                question=qs.question.code,
                channel=qs.channel.code if qs.channel else None,
                score=qs.score,
            )
        )
    items: dict[int, list[ItemScore]] = {}
    for ir in assessment.item_results.all():
        if ir.score is not None:
            items.setdefault(ir.item.indicator_id, []).append(
                ItemScore(item=ir.item.code, sub_indicator=ir.item.sub_indicator, score=ir.score)
            )

    return AssessmentInput(
        tools=[
            ToolInput(
                code=t.code,
                weight=t.weight,
                aggregation=t.aggregation,
                published=published_tool.get(t.pk),
            )
            for t in tools
        ],
        indicators=[
            IndicatorInput(
                number=ind.number,
                tool=tool_code[ind.tool_id],
                published=published_indicator.get(ind.pk),
                questions=questions.get(ind.pk, ()),
                items=items.get(ind.pk, ()),
            )
            for ind in framework.indicators.all()
        ],
        bands=framework_bands(framework),
        published_overall=assessment.published_overall,
        published_level=assessment.published_level,
    )


def scores_for(assessment: Assessment) -> AssessmentScores:
    return evaluate(scoring_input(assessment))


def scored(assessments: Iterable[Assessment]) -> list[tuple[Assessment, AssessmentScores]]:
    return [(a, scores_for(a)) for a in assessments]


def assessment_with_details(pk: int) -> Assessment:
    return assessments_for_scoring().get(pk=pk)


@dataclass(frozen=True)
class FrameworkLookup:
    """A year's framework rows keyed by the codes results use."""

    framework: Framework
    tools: dict[str, Tool]
    indicators: dict[int, Indicator]
    questions: dict[str, Question]
    channels: dict[tuple[Question, str | None], Channel]
    items: dict[str, Item]


def framework_lookup(framework: Framework) -> FrameworkLookup:
    """Load a framework's tools, indicators, questions and items in 5 queries."""
    tools = list(Tool.objects.filter(framework=framework).order_by("order", "code"))
    indicators = list(
        Indicator.objects.filter(framework=framework).select_related("tool").order_by("number")
    )
    questions = list(
        Question.objects.filter(indicator__framework=framework)
        .select_related("indicator")
        .order_by("indicator__number", "order", "code")
    )
    channels = list(Channel.objects.filter(tool__framework=framework).order_by("order"))
    items = list(
        Item.objects.filter(indicator__framework=framework)
        .select_related("indicator")
        .order_by("order", "code")
    )
    indicator_tool = {i.pk: i.tool_id for i in indicators}
    return FrameworkLookup(
        framework=framework,
        tools={t.code: t for t in tools},
        indicators={i.number: i for i in indicators},
        questions={q.code: q for q in questions},
        channels={
            (q, c.code): c
            for q in questions
            for c in channels
            if c.tool_id == indicator_tool[q.indicator_id]
        },
        items={i.code: i for i in items},
    )


def framework_catalogue(framework: Framework, lookup: FrameworkLookup | None = None) -> Catalogue:
    lookup = lookup or framework_lookup(framework)
    channels_of: dict[str, set[str]] = {code: set() for code in lookup.questions}
    for (question, channel_code), _channel in lookup.channels.items():
        if channel_code:
            channels_of[question.code].add(channel_code)
    return Catalogue(
        fiscal_year=framework.fiscal_year,
        tools=frozenset(lookup.tools),
        indicators=frozenset(lookup.indicators),
        questions={code: frozenset(chs) for code, chs in channels_of.items()},
        items=frozenset(lookup.items),
    )


# --- Analysis pages (dashboard, comparison, indicator detail) -------------------------------


def organisation_assessments(organisation: Organisation) -> list[Assessment]:
    """An organisation's assessments, oldest first, with every detail: 8 queries at most."""
    return list(
        assessments_for_scoring(Assessment.objects.filter(organisation=organisation)).order_by(
            "framework__fiscal_year"
        )
    )


def year_figures(assessment: Assessment) -> YearFigures:
    """A prefetched assessment (see `assessments_for_scoring`) as plain analysis values."""
    framework = assessment.framework
    scores = scores_for(assessment)
    tools = list(framework.tools.all())
    indicators = list(framework.indicators.all())
    number_of = {i.pk: i.number for i in indicators}
    results = {r.indicator_id: r for r in assessment.indicator_results.all()}

    channels: dict[int, Channel] = {}
    by_question: dict[int, tuple[Question, list[ChannelValue]]] = {}
    for qs in assessment.question_scores.all():
        if qs.channel is not None:
            channels[qs.channel.pk] = qs.channel
        by_question.setdefault(qs.question_id, (qs.question, []))[1].append(
            ChannelValue(channel=qs.channel.code if qs.channel else "", score=qs.score)
        )
    channel_order = {c.code: (c.order, c.code) for c in channels.values()}

    def indicator_figure(indicator: Indicator) -> IndicatorFigure:
        outcome = scores.indicator(indicator.number)
        assert outcome is not None
        return IndicatorFigure(
            number=indicator.number,
            name=indicator.name_th,
            name_en=indicator.name_en,
            tool=outcome.tool,
            check=outcome.check,
            analysis=results[indicator.pk].analysis if indicator.pk in results else "",
            remark=results[indicator.pk].remark if indicator.pk in results else "",
            verdict=results[indicator.pk].verdict if indicator.pk in results else "",
        )

    def tool_figure(tool: Tool) -> ToolFigure:
        outcome = scores.tool(tool.code)
        assert outcome is not None
        return ToolFigure(
            code=tool.code,
            name=tool.name_th,
            name_en=tool.name_en,
            weight=tool.weight,
            check=outcome.check,
        )

    return YearFigures(
        fiscal_year=framework.fiscal_year,
        framework_id=framework.pk,
        framework_name=framework.name,
        family=framework.family,
        overall=scores.overall,
        published_level=scores.published_level,
        computed_level=scores.computed_level,
        level_mismatch=scores.level_mismatch,
        tools=tuple(tool_figure(t) for t in tools),
        indicators=tuple(indicator_figure(i) for i in indicators),
        questions=tuple(
            sorted(
                (
                    QuestionFigure(
                        code=question.code,
                        indicator=number_of[question.indicator_id],
                        theme=question.theme,
                        text=question.text,
                        scores=tuple(
                            sorted(values, key=lambda v: channel_order.get(v.channel, (0, "")))
                        ),
                        order=question.order,
                    )
                    for question, values in by_question.values()
                ),
                key=lambda q: (q.indicator, q.order, q.code),
            )
        ),
        items=tuple(
            ItemFigure(
                code=r.item.code,
                indicator=number_of[r.item.indicator_id],
                title=r.item.title,
                score=r.score,
                status=r.status,
                reason=r.reason,
                sub_indicator=r.item.sub_indicator,
                order=r.item.order,
            )
            for r in sorted(
                assessment.item_results.all(), key=lambda r: (r.item.order, r.item.code)
            )
        ),
        channels=tuple(
            ChannelName(code=c.code, name=c.name_th, name_en=c.name_en)
            for c in sorted(channels.values(), key=lambda c: (c.order, c.code))
        ),
        mismatches=tuple(scores.mismatches),
        lines=lines_of(framework_bands(framework), framework.improve_below),
        passes=scores.passes,
        framework_provisional=framework.is_provisional,
    )


# --- Year figures, computed once per data version ------------------------------------------


def _code_version() -> str:
    """A digest of the code that computes year figures: a deploy that changes how a figure
    is computed (or what `YearFigures` holds) never reads figures cached by the old code."""
    digest = hashlib.sha256()
    for name in ("ita.queries", "ita.scoring", "ita.judgement", "ita.analysis.figures"):
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        digest.update(Path(path).read_bytes() if path else name.encode())
    return digest.hexdigest()[:12]


_CODE_VERSION = ""


def figures_key(assessment: Assessment) -> str:
    """The cache key of an assessment's year figures.

    It carries the assessment's and its framework's `figures_version`, tokens that every
    write to the results, narratives, remarks or the framework's rows replaces
    (`ita.services.figures`), so a cached figure is found only while its data is unchanged;
    nothing expires by time.
    """
    return _figures_key(
        assessment.pk, assessment.figures_version, assessment.framework.figures_version
    )


def _figures_key(pk: int, version: str, framework_version: str) -> str:
    global _CODE_VERSION
    if not _CODE_VERSION:
        _CODE_VERSION = _code_version()
    return f"year-figures:{_CODE_VERSION}:{pk}:{version}:{framework_version}"


def cached_year_figures(assessments: Sequence[Assessment]) -> list[YearFigures]:
    """`year_figures` of each assessment (with its framework selected), from the cache.

    Only those not cached are read in detail (7 more queries, whatever their number), so
    a warm page costs no query here and no time per year beyond reading the cache.
    """
    cache = caches["figures"]
    keys = {a.pk: figures_key(a) for a in assessments}
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [a for a in assessments if keys[a.pk] not in found]
    if missing:
        prefetch_related_objects(missing, *_scoring_prefetches())
        computed = {keys[a.pk]: year_figures(a) for a in missing}
        cache.set_many(computed)
        found |= computed
    return [found[keys[a.pk]] for a in assessments]


def organisation_assessment_rows(organisation: Organisation) -> list[Assessment]:
    """An organisation's assessments with their frameworks, oldest first (one query): what
    `cached_year_figures` and the page caches' keys need."""
    # Through the related manager every row shares `organisation` (no join, no copies).
    return list(
        organisation.assessments.select_related("framework").order_by("framework__fiscal_year")
    )


@dataclass(frozen=True)
class AssessmentKey:
    """An assessment's year and the cache key of its figures, as a warm page reads them."""

    pk: int
    fiscal_year: int
    family: str
    figures: str


def _assessment_versions(organisation_id: int) -> QuerySet[Assessment, tuple[Any, ...]]:
    return (
        Assessment.objects.filter(organisation_id=organisation_id)
        .order_by("framework__fiscal_year")
        .values_list(
            "pk",
            "figures_version",
            "framework__figures_version",
            "framework__fiscal_year",
            "framework__family",
        )
    )


_ASSESSMENT_VERSIONS = PreparedValues(_assessment_versions)


def organisation_assessment_keys(organisation_id: int) -> list[AssessmentKey]:
    """An organisation's years with their figures' cache keys, oldest first (one query of
    plain values, its SQL compiled once): what a cached page's key needs; the rows
    themselves (`organisation_assessment_rows`) only when the page is rendered."""
    return [
        AssessmentKey(
            pk=pk,
            fiscal_year=fiscal_year,
            family=family,
            figures=_figures_key(pk, version, framework_version),
        )
        for pk, version, framework_version, fiscal_year, family in _ASSESSMENT_VERSIONS(
            organisation_id=organisation_id
        )
    ]


def organisation_years(organisation: Organisation) -> list[YearFigures]:
    """Every year of an organisation as analysis values, oldest first: one query when the
    figures are cached, 8 when none is."""
    return cached_year_figures(organisation_assessment_rows(organisation))
