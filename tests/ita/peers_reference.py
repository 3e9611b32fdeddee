"""The peers page's figures as they were computed before they were stored: one GROUP BY
over the year's rows per kind of score, on every request. Kept as the reference that the
stored aggregates (`ita.peers.services`) must equal, and for bench/bench_pages.py to set
the stored page against.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    Model,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext

from ita.models import (
    AgencyType,
    Assessment,
    Indicator,
    IndicatorResult,
    Organisation,
    RatingBand,
    Tool,
    ToolResult,
)
from ita.peers.rules import (
    Cell,
    LevelCount,
    PeerReport,
    PeerRow,
    RankedPeer,
    combine,
    level_order,
    ranked,
)


def _flags(assessment: Assessment, prefix: str = "") -> dict[str, ExpressionWrapper]:
    """Whether a row is of the organisation's province, and of its type, as two columns."""
    return {
        "in_province": ExpressionWrapper(
            Q(**{f"{prefix}organisation__province": assessment.organisation.province}),
            output_field=BooleanField(),
        ),
        "same_type": ExpressionWrapper(
            Q(**{f"{prefix}agency_type": assessment.agency_type}), output_field=BooleanField()
        ),
    }


def _cells(
    queryset: QuerySet[Model],
    flags: dict[str, ExpressionWrapper],
    *,
    score: str,
    higher: Q | None = None,
    lower: Q | None = None,
    key: str | None = None,
) -> dict[Any, list[Cell]]:
    """One GROUP BY (key, in province?, same type?) with counts, sums, extremes and how many
    scored above and below the organisation; cells by key (None without a key)."""
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "total": Sum(score),
        "lowest": Min(score),
        "highest": Max(score),
    }
    if higher is not None and lower is not None:
        aggregates |= {"above": Count("pk", filter=higher), "below": Count("pk", filter=lower)}
    keys = [key] if key else []
    rows = queryset.annotate(**flags).values(*keys, *flags).annotate(**aggregates).order_by()
    cells: dict[Any, list[Cell]] = {}
    for row in rows:
        cells.setdefault(row[key] if key else None, []).append(
            Cell(
                in_province=bool(row["in_province"]),
                same_type=bool(row["same_type"]),
                count=row["n"],
                total=row["total"],
                lowest=row["lowest"],
                highest=row["highest"],
                above=row.get("above") or 0,
                below=row.get("below") or 0,
            )
        )
    return cells


def _compared_with_own(key: str, own: dict[int, Decimal]) -> tuple[Q | None, Q | None]:
    """Filters for rows above and below the organisation's own score of the same key."""
    if not own:
        return None, None
    higher, lower = Q(), Q()
    for pk, value in own.items():
        higher |= Q(**{key: pk, "score__gt": value})
        lower |= Q(**{key: pk, "score__lt": value})
    return higher, lower


def peer_report_grouped(organisation: Organisation, fiscal_year: int) -> PeerReport | None:
    """The organisation's standing in `fiscal_year`, or None without an assessment that year.

    Eleven queries: the assessment, tools, indicators, its own tool and indicator scores,
    the rating bands, the four aggregates and the province's ranking.
    """
    assessment = (
        Assessment.objects.select_related("organisation", "framework")
        .filter(organisation=organisation, framework__fiscal_year=fiscal_year)
        .first()
    )
    if assessment is None:
        return None
    framework = assessment.framework

    tools = list(Tool.objects.filter(framework=framework).order_by("order", "code"))
    indicators = list(Indicator.objects.filter(framework=framework).order_by("number"))
    own_tools = {
        r.tool_id: r.score
        for r in ToolResult.objects.filter(assessment=assessment).only("tool_id", "score")
    }
    own_indicators = {
        r.indicator_id: r.score
        for r in IndicatorResult.objects.filter(assessment=assessment, score__isnull=False).only(
            "indicator_id", "score"
        )
    }

    own_overall = assessment.published_overall
    overall = _cells(
        Assessment.objects.filter(framework=framework, published_overall__isnull=False),
        _flags(assessment),
        score="published_overall",
        higher=Q(published_overall__gt=own_overall) if own_overall is not None else None,
        lower=Q(published_overall__lt=own_overall) if own_overall is not None else None,
    ).get(None, [])
    related = _flags(assessment, prefix="assessment__")
    higher, lower = _compared_with_own("tool_id", own_tools)
    tool_cells = _cells(
        # By ids, and the assessments of this year only: the planner then reads this year's
        # rows through the foreign-key indexes instead of scanning every year's.
        ToolResult.objects.filter(tool__in=tools, assessment__framework=framework),
        related,
        score="score",
        higher=higher,
        lower=lower,
        key="tool_id",
    )
    higher, lower = _compared_with_own("indicator_id", own_indicators)
    indicator_cells = _cells(
        IndicatorResult.objects.filter(
            indicator__in=indicators, assessment__framework=framework, score__isnull=False
        ),
        related,
        score="score",
        higher=higher,
        lower=lower,
        key="indicator_id",
    )

    ranking = _province_ranking(assessment)
    return PeerReport(
        fiscal_year=framework.fiscal_year,
        agency_type=assessment.agency_type,
        agency_type_label=str(AgencyType(assessment.agency_type).label)
        if assessment.agency_type in AgencyType.values
        else assessment.agency_type,
        province=assessment.organisation.province,
        published_level=assessment.published_level,
        overall=PeerRow(
            key="overall",
            name=gettext("Overall score"),
            name_en="",
            own=own_overall,
            stats=combine(overall, own_overall),
        ),
        tools=[
            PeerRow(
                key=t.code,
                name=t.name_th,
                name_en=t.name_en,
                own=own_tools.get(t.pk),
                stats=combine(tool_cells.get(t.pk, []), own_tools.get(t.pk)),
            )
            for t in tools
        ],
        indicators=[
            PeerRow(
                key=str(i.number),
                name=i.name_th,
                name_en=i.name_en,
                own=own_indicators.get(i.pk),
                stats=combine(indicator_cells.get(i.pk, []), own_indicators.get(i.pk)),
            )
            for i in indicators
        ],
        levels=_levels(assessment),
        ranking=ranking,
        ranking_position=next((n for n, peer in enumerate(ranking) if peer.own), 0),
    )


def _levels(assessment: Assessment) -> list[LevelCount]:
    """How many organisations reached each published level, per group. Two queries."""
    counted: dict[str, list[Cell]] = {}
    for row in (
        Assessment.objects.filter(framework=assessment.framework)
        .exclude(published_level="")
        .annotate(**_flags(assessment))
        .values("published_level", "in_province", "same_type")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counted.setdefault(row["published_level"], []).append(
            Cell(bool(row["in_province"]), bool(row["same_type"]), row["n"])
        )
    bands = list(
        RatingBand.objects.filter(framework=assessment.framework)
        .order_by("order")
        .values_list("label", flat=True)
    )
    return [
        LevelCount(
            level=level,
            counts={scope: stat.count for scope, stat in combine(counted[level], None).items()},
            own=level == assessment.published_level,
        )
        for level in level_order(list(counted), bands)
    ]


def _province_ranking(assessment: Assessment) -> list[RankedPeer]:
    """Every organisation of the province that year, best overall first. One query."""
    rows = Assessment.objects.filter(
        framework=assessment.framework,
        organisation__province=assessment.organisation.province,
    ).values_list(
        "organisation_id",
        "organisation__name",
        "agency_type",
        "published_overall",
        "published_level",
    )
    return ranked(list(rows), assessment.organisation_id)
