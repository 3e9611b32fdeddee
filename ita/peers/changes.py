"""The incremental refresh of a year's peer rows after a few assessments changed.

An entry saved in the admin changes one assessment; rewriting the year's 17,000 rows for it
(`ita.peers.services.peers_refresh`) costs seconds at national scale. Here only what the
change moves is rewritten, from rows that were current before it:

- the provinces it touches (old and new), whole: their cells and rankings, and the
  province part of their members' standings, recomputed from the provinces' rows (a few
  hundred), exactly as the whole pass computes them;
- the national cells of the changed scores: counts unchanged, totals moved by the
  differences, extremes and level counts from one aggregate query each;
- the national part of the standings whose counts move: those of the changed assessments,
  and of every other assessment scoring between a changed score's old and new value (found
  by a range query per kind of score), each moved by exactly the comparisons that changed.

Only a change that keeps every assessment in its national groups with the same scores
present is done this way: an assessment added or deleted, a changed agency type, or a score
gained or lost moves every standing of a national group, for which the whole pass is as
cheap; so is a change whose ranges reach most of the year. Those fall back to the pass.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min, Q

from ita.models import Assessment, IndicatorResult, PeerCell, PeerStanding, PeerYear, ToolResult
from ita.peers.passes import (
    CELL_COLUMNS,
    STANDING_COLUMNS,
    aggregate,
    assessments_key,
    indicator_key,
    insert_rows,
    level_key,
    overall_key,
    province_places,
    record_computed,
    refresh_year,
    tool_key,
    year_rows,
)

# More changed assessments than this in one transaction: the whole pass on commit.
INCREMENTAL_LIMIT = 50

# A change whose ranges reach more than this share of the year's standings takes the whole
# pass, which writes as many rows and reads fewer.
WHOLE_PASS_SHARE = 0.5

# A standing's counts per key: [score, then above and below in each group in `groups_of`
# order]; the last four are the national groups' (same type, everyone).
NATIONAL = slice(5, 9)

Hit = tuple[int, str, Decimal]  # another assessment's pk, agency type and score of one key


@transaction.atomic
def peers_refresh_changed(*, framework_id: int, assessment_ids: set[int]) -> str:
    """Bring the year's peer rows up to date after `assessment_ids` changed in a transaction
    that has committed: "changed" when only what they move was rewritten, "whole" when the
    year was recomputed (the rows were not current apart from them, or the change moves
    most of the year), "current" when a refresh since their commit saw them already."""
    year, _ = PeerYear.objects.select_for_update().get_or_create(framework_id=framework_id)
    if year.current:
        return "current"
    if (
        year.version == year.computed_version + 1  # out of date by that transaction alone
        and len(assessment_ids) <= INCREMENTAL_LIMIT
        and _refresh_changed(framework_id, set(assessment_ids))
    ):
        record_computed(framework_id, year.version)
        return "changed"
    refresh_year(framework_id, year.version)
    return "whole"


def _refresh_changed(framework_id: int, changed: set[int]) -> bool:
    """Rewrite what `changed` moves, or return False having written nothing."""
    old = {
        pk: (counts, province, kind, position, rank)
        for pk, counts, province, kind, position, rank in PeerStanding.objects.filter(
            framework_id=framework_id, pk__in=changed
        ).values_list("pk", "counts", "province", "agency_type", "position", "rank")
    }
    now = {
        row[0]: row
        for row in Assessment.objects.filter(framework_id=framework_id, pk__in=changed).values_list(
            "pk", "organisation__province", "agency_type"
        )
    }
    if old.keys() != changed or now.keys() != changed:
        return False  # added or deleted
    if any(old[pk][2] != now[pk][2] for pk in changed):
        return False  # another type: two national groups change members
    kind = {pk: now[pk][2] for pk in changed}
    provinces = {old[pk][1] for pk in changed} | {now[pk][1] for pk in changed}
    if "" in provinces:
        return False  # its province groups would be the national ones

    members, scores = year_rows(framework_id, organisation__province__in=provinces)
    after: dict[int, dict[str, Decimal]] = {pk: {} for pk in changed}
    for key, values in scores.items():
        for pk, score in values:
            if pk in after:
                after[pk][key] = score
    before = {pk: {key: Decimal(v[0]) for key, v in old[pk][0].items()} for pk in changed}
    if any(after[pk].keys() != before[pk].keys() for pk in changed):
        return False  # a score gained or lost: a national group changes members
    keys = {k for pk in changed for k, score in after[pk].items() if score != before[pk][k]}

    national = {
        (c.agency_type, c.key): c
        for c in PeerCell.objects.filter(framework_id=framework_id, province="")
    }
    found = _hits(framework_id, changed, keys, before, after)
    hit_ids = {pk for rows in found.values() for pk, _score in rows}
    everyone = national.get(("", assessments_key()))
    if everyone is None or len(hit_ids) > everyone.count * WHOLE_PASS_SHARE:
        return False  # most standings move: the whole pass writes as much and reads less

    member_kind = {a[0]: a[4] for a in members}
    others = (member_kind.keys() | hit_ids) - changed
    stored = _stored(framework_id, others)
    if stored.keys() != others:
        return False  # rows not as the whole pass left them
    # Outside the provinces read, the type a standing was counted in is the assessment's:
    # a changed type takes the whole pass.
    hit_kind = {pk: stored[pk][2] for pk in hit_ids - member_kind.keys()}
    hits = {
        key: [(pk, member_kind[pk] if pk in member_kind else hit_kind[pk], s) for pk, s in rows]
        for key, rows in found.items()
    }
    province_cells, province_standings = aggregate(framework_id, members, scores)
    places = province_places(members)

    rows: list[tuple[Any, ...]] = []
    for pk in changed | others:
        kind_of = member_kind[pk] if pk in member_kind else hit_kind[pk]
        if pk in changed:
            counts, *_rest = old[pk]
            national_part = {
                k: _own_national(pk, k, counts[k][NATIONAL], kind, before, after, hits)
                if k in keys
                else counts[k][NATIONAL]
                for k in counts
            }
        else:
            counts = stored[pk][0]
            national_part = {
                k: _moved(Decimal(v[0]), kind_of, v[NATIONAL], k, kind, before, after)
                if k in keys
                else v[NATIONAL]
                for k, v in counts.items()
            }
        if pk in member_kind:
            new_counts = {k: [*v[:5], *national_part[k]] for k, v in province_standings[pk].items()}
            row = (pk, framework_id, new_counts, places[pk][0], kind_of, *places[pk][1:])
        else:
            new_counts = {k: [*v[:5], *national_part[k]] for k, v in counts.items()}
            _c, province, _k, position, rank = stored[pk]
            row = (pk, framework_id, new_counts, province, kind_of, position, rank)
        previous = old[pk] if pk in changed else stored[pk]
        if row[2:] != previous:
            rows.append(row)

    stale, fresh = _national_cells(framework_id, national, keys, kind, before, after)
    PeerCell.objects.filter(framework_id=framework_id, province__in=provinces).delete()
    if stale:
        PeerCell.objects.filter(pk__in=stale).delete()
    insert_rows(PeerCell, CELL_COLUMNS, [c for c in province_cells if c[1]] + fresh)
    if rows:
        PeerStanding.objects.filter(pk__in=[r[0] for r in rows]).delete()
        insert_rows(PeerStanding, STANDING_COLUMNS, rows)
    return True


def _stored(framework_id: int, pks: set[int]) -> dict[int, tuple[Any, ...]]:
    """The stored standings of `pks` as (counts, province, type, position, rank)."""
    stored: dict[int, tuple[Any, ...]] = {}
    ordered = sorted(pks)
    for start in range(0, len(ordered), 2000):  # under every backend's parameter limit
        for pk, *values in PeerStanding.objects.filter(
            framework_id=framework_id, pk__in=ordered[start : start + 2000]
        ).values_list("pk", "counts", "province", "agency_type", "position", "rank"):
            stored[pk] = tuple(values)
    return stored


def _intervals(
    keys: set[str], before: dict[int, dict[str, Decimal]], after: dict[int, dict[str, Decimal]]
) -> dict[str, list[tuple[Decimal, Decimal]]]:
    """Per changed key, the ranges between each changed assessment's old and new score:
    only an assessment scoring within one sees its above/below counts move."""
    spans: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for pk, scores in after.items():
        for key, score in scores.items():
            if key in keys and score != before[pk][key]:
                spans[key].append((min(score, before[pk][key]), max(score, before[pk][key])))
    return spans


def _hits(
    framework_id: int,
    changed: set[int],
    keys: set[str],
    before: dict[int, dict[str, Decimal]],
    after: dict[int, dict[str, Decimal]],
) -> dict[str, list[tuple[int, Decimal]]]:
    """The other assessments scoring within a changed score's range, per key, as (pk,
    score): one query per kind of score that changed, on the score's own rows (a tool or
    indicator is one year's: no join), the types read with their standings."""
    hits: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    spans = _intervals(keys, before, after)
    overall = spans.pop(overall_key(), [])
    if overall:
        within = Q()
        for low, high in overall:
            within |= Q(published_overall__gte=low, published_overall__lte=high)
        for pk, score in (
            Assessment.objects.filter(within, framework_id=framework_id)
            .exclude(pk__in=changed)
            .values_list("pk", "published_overall")
        ):
            hits[overall_key()].append((pk, score))
    for model, column, key_of in (
        (ToolResult, "tool_id", tool_key),
        (IndicatorResult, "indicator_id", indicator_key),
    ):
        within = Q()
        for key, ranges in spans.items():
            ident = key.partition(":")[2]
            if key_of(int(ident)) != key:
                continue  # the other kind's
            for low, high in ranges:
                within |= Q(**{column: int(ident)}, score__gte=low, score__lte=high)
        if not within:
            continue
        for pk, ident, score in (
            model._default_manager.filter(within)
            .exclude(assessment_id__in=changed)
            .values_list("assessment_id", column, "score")
        ):
            hits[key_of(ident)].append((pk, score))
    return hits


def _compare(score: Decimal, other: Decimal) -> tuple[int, int]:
    """(1, 0) if `other` is above `score`, (0, 1) if below, (0, 0) if equal."""
    return int(other > score), int(other < score)


def _shift(counts: list[int], same_type: bool, was: tuple[int, int], now: tuple[int, int]):
    """Move the national (same type, everyone) above/below counts by one peer's change."""
    for offset, applies in ((0, same_type), (2, True)):
        if applies:
            counts[offset] += now[0] - was[0]
            counts[offset + 1] += now[1] - was[1]


def _moved(
    score: Decimal,
    own_kind: str,
    national: list[int],
    key: str,
    kind: dict[int, str],
    before: dict[int, dict[str, Decimal]],
    after: dict[int, dict[str, Decimal]],
) -> list[int]:
    """An unchanged assessment's national counts of `key` after the changed ones moved."""
    counts = list(national)
    for pk, scores in after.items():
        if key in scores:
            was, now = _compare(score, before[pk][key]), _compare(score, scores[key])
            _shift(counts, kind[pk] == own_kind, was, now)
    return counts


def _own_national(
    pk: int,
    key: str,
    national: list[int],
    kind: dict[int, str],
    before: dict[int, dict[str, Decimal]],
    after: dict[int, dict[str, Decimal]],
    hits: dict[str, list[Hit]],
) -> list[int]:
    """A changed assessment's national counts of `key`, from its old ones: the other changed
    assessments compared again at old and new values, and the unchanged ones between its
    old and new score (every other unchanged one is on the same side of both)."""
    counts = list(national)
    was_own, now_own = before[pk][key], after[pk][key]
    for other, scores in after.items():
        if other != pk and key in scores:
            was, now = _compare(was_own, before[other][key]), _compare(now_own, scores[key])
            _shift(counts, kind[other] == kind[pk], was, now)
    if was_own != now_own:
        for _other, other_kind, score in hits.get(key, ()):
            was, now = _compare(was_own, score), _compare(now_own, score)
            _shift(counts, other_kind == kind[pk], was, now)
    return counts


def _national_cells(
    framework_id: int,
    national: dict[tuple[str, str], PeerCell],
    keys: set[str],
    kind: dict[int, str],
    before: dict[int, dict[str, Decimal]],
    after: dict[int, dict[str, Decimal]],
) -> tuple[list[int], list[tuple[Any, ...]]]:
    """The national cells that change: the pks of the stored ones to delete and the rows to
    insert. Levels are counted again (one query; the old level is not stored), the changed
    scores' totals moved by the differences and their extremes read again."""
    wanted: dict[tuple[str, str], tuple[int, Decimal | None, Decimal | None, Decimal | None]] = {}

    levels: dict[tuple[str, str], int] = defaultdict(int)
    overall: dict[str, list[Decimal]] = defaultdict(list)
    for agency_type, level, n, low, high in (
        Assessment.objects.filter(framework_id=framework_id)
        .values("agency_type", "published_level")
        .annotate(n=Count("pk"), low=Min("published_overall"), high=Max("published_overall"))
        .values_list("agency_type", "published_level", "n", "low", "high")
    ):
        if level:
            levels[(agency_type, level_key(level))] += n
            levels[("", level_key(level))] += n
        for group in (agency_type, ""):
            overall[group] += [v for v in (low, high) if v is not None]
    for group_key, n in levels.items():
        wanted[group_key] = (n, None, None, None)
    for agency_type, key in national:
        if key.startswith(level_key("")) and (agency_type, key) not in levels:
            wanted[(agency_type, key)] = (0, None, None, None)  # nobody at that level now

    extremes = _extremes(keys)
    if overall_key() in keys:
        extremes.update({(g, overall_key()): (min(v), max(v)) for g, v in overall.items() if v})
    for key in keys:
        moved: dict[str, Decimal] = defaultdict(Decimal)
        for pk, scores in after.items():
            if key in scores:
                difference = scores[key] - before[pk][key]
                moved[kind[pk]] += difference
                moved[""] += difference
        for agency_type, difference in moved.items():
            cell = national[(agency_type, key)]
            low, high = extremes[(agency_type, key)]
            wanted[(agency_type, key)] = (cell.count, cell.total + difference, low, high)

    stale: list[int] = []
    fresh: list[tuple[Any, ...]] = []
    for (agency_type, key), values in wanted.items():
        cell = national.get((agency_type, key))
        if cell is not None:
            if (cell.count, cell.total, cell.lowest, cell.highest) == values:
                continue
            stale.append(cell.pk)
        if values[0]:
            fresh.append((framework_id, "", agency_type, key, *values))
    return stale, fresh


def _extremes(keys: set[str]) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """Lowest and highest of each changed tool and indicator score per agency type and
    nationwide (one query per kind that changed; a tool or indicator is one year's)."""
    found: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for model, column, key_of in (
        (ToolResult, "tool_id", tool_key),
        (IndicatorResult, "indicator_id", indicator_key),
    ):
        prefix = key_of(0).partition(":")[0]
        idents = [int(k.partition(":")[2]) for k in keys if k.partition(":")[0] == prefix]
        if not idents:
            continue
        for ident, agency_type, low, high in (
            model._default_manager.filter(score__isnull=False, **{f"{column}__in": idents})
            .values(column, "assessment__agency_type")
            .annotate(low=Min("score"), high=Max("score"))
            .values_list(column, "assessment__agency_type", "low", "high")
        ):
            key = key_of(ident)
            found[(agency_type, key)] = (low, high)
            low_all, high_all = found.get(("", key), (low, high))
            found[("", key)] = (min(low, low_all), max(high, high_all))
    return found
