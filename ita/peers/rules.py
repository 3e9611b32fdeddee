"""Comparison with peers: how one organisation's published scores stand among others'.

Pure rules over plain values; `ita.peers.queries` reads the figures (one aggregate query per
kind of score, whatever the number of organisations) and the peers page shows them.

Peers are the other organisations *in this system* with a published score for the same
fiscal year, in four nested groups: the same agency type in the same province, every type in
the province, the same type nationwide, every type nationwide. Only published scores count
(the NACC's figures, the same for everyone); an organisation without one is not ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext


class Scope(StrEnum):
    PROVINCE_TYPE = "province_type"
    PROVINCE = "province"
    NATIONAL_TYPE = "national_type"
    NATIONAL = "national"


SCOPES: tuple[Scope, ...] = tuple(Scope)

# Fewer than this many *other* organisations make a mean and a rank say nothing useful.
MIN_PEERS = 2


@dataclass(frozen=True)
class PeerStat:
    """One score across one peer group; the organisation itself is among the `count`."""

    count: int
    mean: Decimal | None = None
    lowest: Decimal | None = None
    highest: Decimal | None = None
    above: int = 0  # organisations in the group that scored strictly higher
    below: int = 0  # ... strictly lower
    own: Decimal | None = None

    @property
    def others(self) -> int:
        return max(self.count - (1 if self.own is not None else 0), 0)

    @property
    def enough(self) -> bool:
        return self.others >= MIN_PEERS

    @property
    def rank(self) -> int | None:
        """Competition ranking (1, 2, 2, 4): one more than those who scored higher."""
        return self.above + 1 if self.own is not None and self.count else None

    @property
    def better_than(self) -> Decimal | None:
        """Per cent of the other organisations that scored lower, to one decimal place."""
        if self.own is None or not self.others:
            return None
        share = Decimal(self.below) * 100 / Decimal(self.others)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def difference(self) -> Decimal | None:
        """Own score minus the group's mean, to two places (the mean includes the own score)."""
        if self.own is None or self.mean is None:
            return None
        return (self.own - self.mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PeerRow:
    """One score (overall, a tool or an indicator) with its standing in every group."""

    key: str  # "overall", a tool code or an indicator number as text
    name: str
    name_en: str
    own: Decimal | None
    stats: dict[Scope, PeerStat] = field(default_factory=dict)

    def stat(self, scope: Scope) -> PeerStat:
        return self.stats.get(scope, PeerStat(count=0, own=self.own))

    @property
    def published(self) -> bool:
        """Whether this organisation or any peer has a published score for it."""
        return self.own is not None or any(s.count for s in self.stats.values())

    @property
    def by_scope(self) -> list[PeerStat]:
        """The stats in `SCOPES` order (narrowest group first), for templates."""
        return [self.stat(scope) for scope in SCOPES]


@dataclass(frozen=True)
class LevelCount:
    level: str
    counts: dict[Scope, int]
    own: bool  # the organisation's own published level

    @property
    def by_scope(self) -> list[int]:
        return [self.counts.get(scope, 0) for scope in SCOPES]


@dataclass(frozen=True)
class RankedPeer:
    """One organisation in the province's ranking of overall scores."""

    organisation_id: int
    name: str
    agency_type: str
    overall: Decimal | None
    level: str
    rank: int | None
    own: bool


@dataclass(frozen=True)
class PeerReport:
    """Everything the peers page shows for one organisation and fiscal year."""

    fiscal_year: int
    agency_type: str
    agency_type_label: str
    province: str
    published_level: str
    overall: PeerRow
    tools: list[PeerRow]
    indicators: list[PeerRow]
    levels: list[LevelCount]
    ranking: Sequence[RankedPeer]  # the province's, best first
    ranking_position: int = 0  # the organisation's own index in `ranking`

    @property
    def rows(self) -> list[PeerRow]:
        """Overall, tools and indicators; a tool or indicator nobody published is left out."""
        return [self.overall, *(r for r in [*self.tools, *self.indicators] if r.published)]

    def chart_series(
        self, scopes: list[tuple[Scope, str]]
    ) -> list[tuple[str, list[Decimal | None]]]:
        """The indicator chart's bars: the own scores, then the means of the same type in the
        province and nationwide. A group too small to compare would only repeat the own
        bars, so it is left out."""
        series: list[tuple[str, list[Decimal | None]]] = [
            (str(self.fiscal_year), [row.own for row in self.indicators])
        ]
        for scope, label in scopes:
            if scope in (Scope.PROVINCE_TYPE, Scope.NATIONAL_TYPE) and (
                self.overall.stat(scope).enough
            ):
                series.append((label, [row.stat(scope).mean for row in self.indicators]))
        return series


def standing(
    own: Decimal | None,
    count: int,
    total: Decimal | None,
    lowest: Decimal | None,
    highest: Decimal | None,
    above: int,
    below: int,
) -> PeerStat:
    """A group's aggregate (count, sum, extremes, how many above/below) as a `PeerStat`."""
    mean = None
    if count and total is not None:
        mean = (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return PeerStat(
        count=count,
        mean=mean,
        lowest=lowest,
        highest=highest,
        above=above,
        below=below,
        own=own,
    )


@dataclass(frozen=True)
class Cell:
    """Aggregates of the organisations that share one (same province?, same type?) answer.

    Every peer group is a union of such cells, so one GROUP BY of the whole country gives
    all four groups (`combine`).
    """

    in_province: bool
    same_type: bool
    count: int
    total: Decimal | None = None
    lowest: Decimal | None = None
    highest: Decimal | None = None
    above: int = 0
    below: int = 0


def in_scope(scope: Scope, in_province: bool, same_type: bool) -> bool:
    return {
        Scope.PROVINCE_TYPE: in_province and same_type,
        Scope.PROVINCE: in_province,
        Scope.NATIONAL_TYPE: same_type,
        Scope.NATIONAL: True,
    }[scope]


def combine(cells: list[Cell], own: Decimal | None) -> dict[Scope, PeerStat]:
    """Each peer group's `PeerStat` from the cells it is made of."""
    stats = {}
    for scope in SCOPES:
        chosen = [c for c in cells if c.count and in_scope(scope, c.in_province, c.same_type)]
        totals = [c.total for c in chosen if c.total is not None]
        lows = [c.lowest for c in chosen if c.lowest is not None]
        highs = [c.highest for c in chosen if c.highest is not None]
        stats[scope] = standing(
            own,
            sum(c.count for c in chosen),
            sum(totals, Decimal(0)) if totals else None,
            min(lows, default=None),
            max(highs, default=None),
            sum(c.above for c in chosen),
            sum(c.below for c in chosen),
        )
    return stats


def ranked(rows: list[tuple[int, str, str, Decimal | None, str]], own_id: int) -> list[RankedPeer]:
    """(id, name, type, overall, level) rows as a competition ranking, best first.

    Organisations without a published overall come last, unranked, by name.
    """
    scored = sorted((r for r in rows if r[3] is not None), key=lambda r: (-r[3], r[1], r[0]))
    unscored = sorted((r for r in rows if r[3] is None), key=lambda r: (r[1], r[0]))
    result: list[RankedPeer] = []
    previous: Decimal | None = None
    rank = 0
    for position, (pk, name, agency_type, overall, level) in enumerate(scored, start=1):
        if overall != previous:
            rank, previous = position, overall
        result.append(RankedPeer(pk, name, agency_type, overall, level, rank, pk == own_id))
    for pk, name, agency_type, overall, level in unscored:
        result.append(RankedPeer(pk, name, agency_type, overall, level, None, pk == own_id))
    return result


def level_order(levels: list[str], band_labels: list[str]) -> list[str]:
    """Levels in the framework's band order (best first), unknown ones after, by name."""
    known = [label for label in band_labels if label in levels]
    return known + sorted(set(levels) - set(known))


def scope_labels(agency_type: str, province: str) -> list[tuple[Scope, str]]:
    """Each peer group with its name for the page, narrowest first."""
    return [
        (
            Scope.PROVINCE_TYPE,
            gettext("%(type)s in %(province)s") % {"type": agency_type, "province": province},
        ),
        (
            Scope.PROVINCE,
            gettext("All local governments in %(province)s") % {"province": province},
        ),
        (Scope.NATIONAL_TYPE, gettext("%(type)s nationwide") % {"type": agency_type}),
        (Scope.NATIONAL, gettext("All local governments nationwide")),
    ]
