"""The year's peer rows computed and written: what the whole pass (`ita.peers.services`)
and the incremental refresh (`ita.peers.changes`) both do.

The rows of a year (`year_rows`), their cells and standings (`aggregate`), the province
rankings (`province_places`), the rows written (`insert_rows`: COPY on PostgreSQL) and the
year recorded as computed (`record_computed`), which also tells this transaction's waiting
refresh (`pending_refresh`) that its changes are in the rows.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connections, router, transaction
from django.db.models import JSONField, Model

from ita.models import (
    Assessment,
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


def province_places(assessments: list[tuple[Any, ...]]) -> dict[int, tuple[str, int, int | None]]:
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


def insert_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
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


def pending_refresh(framework_id: int) -> Any:
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


AssessmentRow = tuple[int, int, str, str, str, Decimal | None, str]
Scores = dict[str, list[tuple[int, Decimal]]]


def year_rows(framework_id: int, **within: Any) -> tuple[list[AssessmentRow], Scores]:
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


def aggregate(
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


def standing_rows(
    framework_id: int,
    assessments: list[AssessmentRow],
    standings: dict[int, dict[str, list[str | int]]],
) -> list[tuple[Any, ...]]:
    places = province_places(assessments)
    kind_of = {a[0]: a[4] for a in assessments}
    return [
        (pk, framework_id, standings[pk], places[pk][0], kind_of[pk], *places[pk][1:])
        for pk in standings
    ]


def refresh_year(framework_id: int, version: int) -> None:
    assessments, scores = year_rows(framework_id)
    cells, standings = aggregate(framework_id, assessments, scores)

    PeerCell.objects.filter(framework_id=framework_id).delete()
    insert_rows(PeerCell, CELL_COLUMNS, cells)
    PeerStanding.objects.filter(framework_id=framework_id).delete()
    insert_rows(PeerStanding, STANDING_COLUMNS, standing_rows(framework_id, assessments, standings))
    record_computed(framework_id, version)


def record_computed(framework_id: int, version: int) -> None:
    PeerYear.objects.filter(pk=framework_id).update(computed_version=version)
    pending = pending_refresh(framework_id)
    if pending is not None:
        pending.marked = False  # the next change in this transaction must mark the year again
        pending.refreshed = True  # and what it changed before is in the rows now, or rolled back
