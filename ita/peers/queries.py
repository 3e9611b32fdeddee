"""Reads behind the peers page: one organisation-year against every peer group.

A fixed number of queries whatever the number of organisations, and no aggregate over the
year's rows: the groups' counts, sums and extremes and the organisation's standing in each
are stored per year by `ita.peers.services` when results change. No row per peer is read,
and of the province's ranking only the page shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import overload

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext

from ita.models import (
    AgencyType,
    Assessment,
    Indicator,
    Organisation,
    PeerCell,
    PeerStanding,
    RatingBand,
    Tool,
)
from ita.peers.passes import (
    assessments_key,
    groups_of,
    indicator_key,
    level_key,
    overall_key,
    tool_key,
)
from ita.peers.rules import (
    SCOPES,
    LevelCount,
    PeerReport,
    PeerRow,
    PeerStat,
    RankedPeer,
    Scope,
    level_order,
    standing,
)
from ita.peers.services import peers_current


def organisation_assessments(organisation: Organisation) -> list[Assessment]:
    """The organisation's assessments, newest fiscal year first, each with its framework
    and whether the year's peer rows are current: the page's year choice and the
    assessment it shows, in one query (at most one row a year)."""
    return list(
        Assessment.objects.select_related("organisation", "framework__peer_year")
        .filter(organisation=organisation)
        .order_by("-framework__fiscal_year")
    )


def _stats(
    cells: dict[tuple[str, str, str], PeerCell],
    groups: tuple[tuple[str, str], ...],
    key: str,
    own: Decimal | None,
    counts: list[int] | None,
) -> dict[Scope, PeerStat]:
    """Each peer group's `PeerStat` of one score from the stored cells and own standing."""
    stats = {}
    for index, (scope, group) in enumerate(zip(SCOPES, groups, strict=True)):
        cell = cells.get((*group, key))
        above, below = (counts[2 * index], counts[2 * index + 1]) if counts else (0, 0)
        stats[scope] = (
            standing(own, cell.count, cell.total, cell.lowest, cell.highest, above, below)
            if cell is not None
            else standing(own, 0, None, None, None, 0, 0)
        )
    return stats


def peer_report(
    organisation: Organisation,
    fiscal_year: int,
    assessments: Sequence[Assessment] | None = None,
) -> PeerReport | None:
    """The organisation's standing in `fiscal_year`, or None without an assessment that year.

    Seven queries when the year's peer rows are current (`ita.peers.services`), six when
    the organisation's `assessments` are given: the assessment (with whether the rows are
    current), tools, indicators, the rating bands,
    the groups' stored cells, its stored scores and standing, and the page of the province's
    ranking that is shown (read when the page is rendered: `ProvinceRanking`).
    Nothing is aggregated over the year's rows; rows out of date are refreshed first (one
    pass over the year).
    """
    if assessments is not None:  # read already (`organisation_assessments`): no query
        assessment = next((a for a in assessments if a.framework.fiscal_year == fiscal_year), None)
    else:
        assessment = (
            Assessment.objects.select_related("organisation", "framework__peer_year")
            .filter(organisation=organisation, framework__fiscal_year=fiscal_year)
            .first()
        )
    if assessment is None:
        return None
    framework = assessment.framework
    peers_current(framework=framework)

    tools = list(Tool.objects.filter(framework=framework).order_by("order", "code"))
    indicators = list(Indicator.objects.filter(framework=framework).order_by("number"))
    groups = groups_of(assessment.organisation.province, assessment.agency_type)
    cells = {
        (c.province, c.agency_type, c.key): c
        for c in PeerCell.objects.filter(
            framework=framework,
            province__in={g[0] for g in groups},
            agency_type__in={g[1] for g in groups},
        )
    }
    own_standing = PeerStanding.objects.filter(assessment=assessment).first()
    stored = own_standing.counts if own_standing else {}
    own_score = {key: Decimal(values[0]) for key, values in stored.items()}
    counts: dict[str, list[int]] = {key: values[1:] for key, values in stored.items()}
    own_tools = {t.pk: own_score.get(tool_key(t.pk)) for t in tools}
    own_indicators = {i.pk: own_score.get(indicator_key(i.pk)) for i in indicators}

    own_overall = assessment.published_overall
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
            stats=_stats(cells, groups, overall_key(), own_overall, counts.get(overall_key())),
        ),
        tools=[
            PeerRow(
                key=t.code,
                name=t.name_th,
                name_en=t.name_en,
                own=own_tools.get(t.pk),
                stats=_stats(
                    cells, groups, tool_key(t.pk), own_tools.get(t.pk), counts.get(tool_key(t.pk))
                ),
            )
            for t in tools
        ],
        indicators=[
            PeerRow(
                key=str(i.number),
                name=i.name_th,
                name_en=i.name_en,
                own=own_indicators.get(i.pk),
                stats=_stats(
                    cells,
                    groups,
                    indicator_key(i.pk),
                    own_indicators.get(i.pk),
                    counts.get(indicator_key(i.pk)),
                ),
            )
            for i in indicators
        ],
        levels=_levels(assessment, cells, groups),
        ranking=ProvinceRanking(
            assessment, _count(cells, (assessment.organisation.province, ""), assessments_key())
        ),
        ranking_position=own_standing.position if own_standing else 0,
    )


def _count(cells: dict[tuple[str, str, str], PeerCell], group: tuple[str, str], key: str) -> int:
    cell = cells.get((*group, key))
    return cell.count if cell is not None else 0


def _levels(
    assessment: Assessment,
    cells: dict[tuple[str, str, str], PeerCell],
    groups: tuple[tuple[str, str], ...],
) -> list[LevelCount]:
    """How many organisations reached each published level, per group. One query."""
    prefix = level_key("")
    counted = {key[len(prefix) :] for (_p, _t, key) in cells if key.startswith(prefix)}
    bands = list(
        RatingBand.objects.filter(framework=assessment.framework)
        .order_by("order")
        .values_list("label", flat=True)
    )
    return [
        LevelCount(
            level=level,
            counts={
                scope: cells[(*group, level_key(level))].count
                if (*group, level_key(level)) in cells
                else 0
                for scope, group in zip(SCOPES, groups, strict=True)
            },
            own=level == assessment.published_level,
        )
        for level in level_order(list(counted), bands)
    ]


RANKING_PER_PAGE = 25


def ranking_page(ranking: Sequence[RankedPeer], own: int, requested: str | None) -> Page:
    """The page of the ranking asked for (`?page=`), else the one holding the organisation
    itself (at index `own`); an unknown page number gives the nearest page."""
    paginator = Paginator(ranking, RANKING_PER_PAGE)
    return paginator.get_page(requested if requested else own // RANKING_PER_PAGE + 1)


class ProvinceRanking(Sequence[RankedPeer]):
    """The province's ranking that year, best overall first, as stored by the refresh:
    its length is known without a query, and a slice (the page shown)
    reads only its own rows, one query."""

    def __init__(self, assessment: Assessment, total: int) -> None:
        self.assessment = assessment
        self.total = total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> RankedPeer: ...

    @overload
    def __getitem__(self, index: slice) -> list[RankedPeer]: ...

    def __getitem__(self, index: int | slice) -> RankedPeer | list[RankedPeer]:
        if isinstance(index, int):
            position = index + self.total if index < 0 else index
            if not 0 <= position < self.total:
                raise IndexError(index)
            return self._rows(position, position + 1)[0]
        start, stop, step = index.indices(self.total)
        rows = self._rows(start, stop) if start < stop else []
        return rows[::step]

    def __iter__(self) -> Iterator[RankedPeer]:
        return iter(self[:])

    def __eq__(self, other: object) -> bool:
        # The same ranking however it is held (the tests compare it with a list).
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def _rows(self, start: int, stop: int) -> list[RankedPeer]:
        own_id = self.assessment.organisation_id
        return [
            RankedPeer(pk, name, agency_type, overall, level, rank, pk == own_id)
            for pk, name, agency_type, overall, level, rank in PeerStanding.objects.filter(
                framework_id=self.assessment.framework_id,
                province=self.assessment.organisation.province,
                position__gte=start,
                position__lt=stop,
            )
            .order_by("position")
            .values_list(
                "assessment__organisation_id",
                "assessment__organisation__name",
                "assessment__agency_type",
                "assessment__published_overall",
                "assessment__published_level",
                "rank",
            )
        ]
