"""Writes behind the peers page: a year's peer aggregates, computed in one pass and kept.

`peers_touch` marks a year's rows out of date (every write to its results calls it) and
refreshes them once the write commits, once per transaction however many assessments it
saved: a whole file is one pass, and a `peers_batch` of many files one pass in all.
`peers_refresh` reads the year's scores once (three queries), groups and ranks them in
Python and replaces the year's `PeerCell` and `PeerStanding` rows (COPY on PostgreSQL), so
the page (`ita.peers.queries`) reads a few dozen rows and aggregates or ranks nothing.
A transaction that names the few assessments it changed is refreshed incrementally instead
(`ita.peers.changes`).
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connections, router, transaction
from django.db.models import F, JSONField, Model

from ita.models import (
    Assessment,
    Framework,
    IndicatorResult,
    PeerCell,
    PeerStanding,
    PeerYear,
    ToolResult,
)
from ita.peers.rules import ranked

# The four groups an organisation belongs to, in `ita.peers.rules.SCOPES` order, as
# (province, agency type) with "" for "any".
Group = tuple[str, str]


def groups_of(province: str, agency_type: str) -> tuple[Group, Group, Group, Group]:
    return (province, agency_type), (province, ""), ("", agency_type), ("", "")


def overall_key() -> str:
    return "overall"


def tool_key(tool_id: int) -> str:
    return f"tool:{tool_id}"


def indicator_key(indicator_id: int) -> str:
    return f"indicator:{indicator_id}"


def level_key(level: str) -> str:
    return f"level:{level}"


def assessments_key() -> str:
    return "assessments"


def _province_places(assessments: list[tuple[Any, ...]]) -> dict[int, tuple[str, int, int | None]]:
    """Each assessment's (province, position, rank) in its province's ranking, in the order
    and with the ranks `ita.peers.rules.ranked` gives."""
    by_province: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    pk_of: dict[int, int] = {}
    for pk, organisation_id, name, province, kind, overall, level in assessments:
        by_province[province].append((organisation_id, name, kind, overall, level))
        pk_of[organisation_id] = pk
    places: dict[int, tuple[str, int, int | None]] = {}
    for province, rows in by_province.items():
        for position, peer in enumerate(ranked(rows, own_id=0)):
            places[pk_of[peer.organisation_id]] = (province, position, peer.rank)
    return places


def _insert(model: type[Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """New rows of `model` (values in `columns` order): COPY on PostgreSQL, as quoting a
    national year's 17,000 rows for `bulk_create` took longer than everything else the
    refresh does; `bulk_create` elsewhere."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    json_columns = {
        n for n, c in enumerate(columns) if isinstance(model._meta.get_field(c), JSONField)
    }
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([json.dumps(v) if n in json_columns else v for n, v in enumerate(row)])


def _pending_refresh(framework_id: int) -> Any:
    """This transaction's on-commit refresh of the year, if one is waiting."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    return next(
        (
            func
            for _savepoints, func, _robust in connection.run_on_commit
            if getattr(func, "peer_framework_id", None) == framework_id
        ),
        None,
    )


_batch = threading.local()


def _mark(framework_id: int) -> None:
    """The year's rows are out of date: one more version than the rows were computed at."""
    if not PeerYear.objects.filter(framework_id=framework_id).update(version=F("version") + 1):
        PeerYear.objects.get_or_create(framework_id=framework_id)


@contextmanager
def peers_batch() -> Iterator[None]:
    """Writes inside mark their years out of date and refresh each once, at the end: an
    import of many files, each its own transaction, is one pass per year, not one per
    file. Until then a peers page that reads a touched year refreshes it first."""
    if getattr(_batch, "years", None) is not None:
        yield  # already inside one: the outer batch refreshes
        return
    _batch.years = set()
    try:
        yield
    finally:
        years, _batch.years = _batch.years, None
        for framework_id in sorted(years):
            peers_refresh(framework_id=framework_id)


class _Refresh:
    """A transaction's refresh of one year once it commits: which assessments it changed
    (None: not named, or too many), whether the year is marked in it, and whether a refresh
    ran inside it (after which, as a savepoint may have rolled that refresh back, only the
    whole pass is sure to be right)."""

    def __init__(self, framework_id: int, assessment_ids: Iterable[int] | None) -> None:
        self.peer_framework_id = framework_id
        self.marked = True
        self.refreshed = False
        self.changed: set[int] | None = None
        self.changed = set() if assessment_ids is not None else None
        self.note(assessment_ids)

    def note(self, assessment_ids: Iterable[int] | None) -> None:
        if self.changed is None:
            return
        if assessment_ids is None:
            self.changed = None
            return
        self.changed.update(assessment_ids)
        if len(self.changed) > INCREMENTAL_LIMIT:
            self.changed = None  # an import, or a bulk edit: one pass over the year

    def __call__(self) -> None:
        if self.changed is None or self.refreshed:
            # Forced: this transaction changed the year, whatever the version says now (a
            # savepoint rolled back after a refresh inside the transaction can leave it equal).
            peers_refresh(framework_id=self.peer_framework_id, force=True)
            return
        from ita.peers.changes import peers_refresh_changed  # built on this module

        peers_refresh_changed(framework_id=self.peer_framework_id, assessment_ids=self.changed)


# More changed assessments than this in one transaction: the whole pass on commit.
INCREMENTAL_LIMIT = 50


def peers_touch(*, framework_id: int, assessment_ids: Iterable[int] | None = None) -> None:
    """The year's results changed (those of `assessment_ids`, if named): its peer rows are
    out of date until refreshed, which happens when the current transaction commits, once
    however often this is called in it (an import of 8,000 sheets, or a deletion of 8,000
    assessments, is one pass), or at the end of the `peers_batch` it runs in. A commit that
    named the few assessments it changed rewrites only what they move
    (`ita.peers.changes`)."""
    batch: set[int] | None = getattr(_batch, "years", None)
    if batch is not None:
        _mark(framework_id)
        batch.add(framework_id)
        return
    pending = _pending_refresh(framework_id)
    if pending is not None:
        pending.note(assessment_ids)
        if pending.marked:
            # Already marked in this transaction, whose row lock on the PeerYear keeps any
            # other refresh from recording a version until it commits.
            return
    _mark(framework_id)
    if pending is not None:
        pending.marked = True  # refreshed within this transaction since, and changed again
        return
    transaction.on_commit(_Refresh(framework_id, assessment_ids))


def peers_current(*, framework: Framework) -> None:
    """Refresh the year's peer rows unless they are current (no query when the framework
    was read with `select_related("peer_year")`, one otherwise)."""
    try:
        year: PeerYear | None = framework.peer_year
    except PeerYear.DoesNotExist:
        year = None
    if year is None or not year.current:
        peers_refresh(framework_id=framework.pk)


@transaction.atomic
def peers_refresh(*, framework_id: int, force: bool = False) -> None:
    """Recompute one year's peer aggregates and every assessment's standing in one pass."""
    year, _ = PeerYear.objects.select_for_update().get_or_create(framework_id=framework_id)
    if year.current and not force:
        return  # refreshed by someone else while this one waited for the lock
    _refresh_year(framework_id, year.version)


AssessmentRow = tuple[int, int, str, str, str, Decimal | None, str]
Scores = dict[str, list[tuple[int, Decimal]]]


def _rows(framework_id: int, **within: Any) -> tuple[list[AssessmentRow], Scores]:
    """The year's assessments (pk, organisation, name, province, type, overall, level) and
    every score by key, `within` filtering the assessments (three queries)."""
    assessments = list(
        Assessment.objects.filter(framework_id=framework_id, **within).values_list(
            "pk",
            "organisation_id",
            "organisation__name",
            "organisation__province",
            "agency_type",
            "published_overall",
            "published_level",
        )
    )
    scores: Scores = defaultdict(list)
    for pk, *_place, overall, _level in assessments:
        if overall is not None:
            scores[overall_key()].append((pk, overall))
    through = {f"assessment__{name}": value for name, value in within.items()}
    for assessment_id, tool_id, score in ToolResult.objects.filter(
        assessment__framework_id=framework_id, **through
    ).values_list("assessment_id", "tool_id", "score"):
        scores[tool_key(tool_id)].append((assessment_id, score))
    for assessment_id, indicator_id, score in IndicatorResult.objects.filter(
        assessment__framework_id=framework_id, score__isnull=False, **through
    ).values_list("assessment_id", "indicator_id", "score"):
        scores[indicator_key(indicator_id)].append((assessment_id, score))
    return assessments, scores


CellRow = tuple[Any, ...]  # PeerCell's values in `CELL_COLUMNS` order
CELL_COLUMNS = (
    "framework_id",
    "province",
    "agency_type",
    "key",
    "count",
    "total",
    "lowest",
    "highest",
)
STANDING_COLUMNS = (
    "assessment_id",
    "framework_id",
    "counts",
    "province",
    "agency_type",
    "position",
    "rank",
)


def _aggregate(
    framework_id: int, assessments: list[AssessmentRow], scores: Scores
) -> tuple[list[CellRow], dict[int, dict[str, list[str | int]]]]:
    """The cells of every group these assessments make and each one's standing in them:
    exact for the whole year, and for the province groups of the provinces given whole."""
    group_of = {pk: groups_of(province, kind) for pk, _o, _n, province, kind, *_ in assessments}
    levels: dict[str, list[int]] = defaultdict(list)
    for pk, *_place, _overall, level in assessments:
        if level:
            levels[level_key(level)].append(pk)
    levels[assessments_key()] = [a[0] for a in assessments]

    cells: list[CellRow] = []
    standings: dict[int, dict[str, list[str | int]]] = {a[0]: {} for a in assessments}
    for key, values in scores.items():
        grouped: dict[Group, list[Decimal]] = defaultdict(list)
        for pk, score in values:
            for group in group_of[pk]:
                grouped[group].append(score)
        for group, members in grouped.items():
            members.sort()
            cells.append(
                (
                    framework_id,
                    *group,
                    key,
                    len(members),
                    sum(members, Decimal(0)),
                    members[0],
                    members[-1],
                )
            )
        for pk, score in values:
            counts: list[str | int] = [str(score)]
            for group in group_of[pk]:
                members = grouped[group]
                counts += [len(members) - bisect_right(members, score), bisect_left(members, score)]
            standings[pk][key] = counts
    for key, pks in levels.items():
        counted: dict[Group, int] = defaultdict(int)
        for pk in pks:
            for group in group_of[pk]:
                counted[group] += 1
        cells += [(framework_id, *group, key, n, None, None, None) for group, n in counted.items()]
    return cells, standings


def _standing_rows(
    framework_id: int,
    assessments: list[AssessmentRow],
    standings: dict[int, dict[str, list[str | int]]],
) -> list[tuple[Any, ...]]:
    places = _province_places(assessments)
    kind_of = {a[0]: a[4] for a in assessments}
    return [
        (pk, framework_id, standings[pk], places[pk][0], kind_of[pk], *places[pk][1:])
        for pk in standings
    ]


def _refresh_year(framework_id: int, version: int) -> None:
    assessments, scores = _rows(framework_id)
    cells, standings = _aggregate(framework_id, assessments, scores)

    PeerCell.objects.filter(framework_id=framework_id).delete()
    _insert(PeerCell, CELL_COLUMNS, cells)
    PeerStanding.objects.filter(framework_id=framework_id).delete()
    _insert(PeerStanding, STANDING_COLUMNS, _standing_rows(framework_id, assessments, standings))
    _computed(framework_id, version)


def _computed(framework_id: int, version: int) -> None:
    PeerYear.objects.filter(pk=framework_id).update(computed_version=version)
    pending = _pending_refresh(framework_id)
    if pending is not None:
        pending.marked = False  # the next change in this transaction must mark the year again
        pending.refreshed = True  # and what it changed before is in the rows now, or rolled back
