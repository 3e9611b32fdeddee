"""Reads of the OIT readiness board, each with a fixed number of queries (pinned in tests)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ita.models import Framework, Organisation
from plans.enums import ReadinessStatus
from plans.readiness import rules
from plans.readiness.models import LinkCheckRequest, ReadinessItem, ReadinessYear


@dataclass(frozen=True)
class BoardRow:
    entry: ReadinessItem
    due: date | None
    overdue: bool
    public_year: int | None


@dataclass(frozen=True)
class DivisionCount:
    name: str
    total: int
    done: int
    overdue: int


@dataclass
class Board:
    year: ReadinessYear
    rows: list[BoardRow]
    total: int
    status_counts: list[rules.StatusCount]
    division_counts: list[DivisionCount]
    overdue: int
    last_check: LinkCheckRequest | None


def readiness_year(organisation: Organisation, fiscal_year: int) -> ReadinessYear | None:
    return (
        ReadinessYear.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related("organisation", "framework")
        .first()
    )


def framework_years() -> list[int]:
    """Years that have a framework, newest first (the board's year links)."""
    return list(Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True))


def _items(year: ReadinessYear):  # type: ignore[no-untyped-def]
    return year.items.select_related("item__indicator", "division", "updated_by")


def _row(entry: ReadinessItem, year: ReadinessYear, today: date) -> BoardRow:
    entry.year = year  # the caller's year: no query per row for the default due date
    due = entry.due
    return BoardRow(
        entry=entry,
        due=due,
        overdue=rules.is_overdue(status=entry.status, due=due, today=today),
        public_year=rules.public_page_year(entry.item.document_role, year.fiscal_year),
    )


def _ordered(rows: list[BoardRow]) -> list[BoardRow]:
    keys = [
        rules.BoardKey(
            overdue=row.overdue, due=row.due, order=row.entry.item.order, code=row.entry.item.code
        )
        for row in rows
    ]
    return [rows[index] for index in rules.board_order(keys)]


def board(
    year: ReadinessYear,
    today: date,
    *,
    division_id: int | None = None,
    status: str = "",
) -> Board:
    """Every item of the year (2 queries: items, last link check); the counts cover
    the whole year, the rows only what the filter keeps."""
    rows = [_row(entry, year, today) for entry in _items(year)]
    per_division: dict[str, Counter[str]] = {}
    for row in rows:
        name = row.entry.division.name if row.entry.division else ""
        counter = per_division.setdefault(name, Counter())
        counter["total"] += 1
        counter["done"] += row.entry.status in ReadinessStatus.DONE
        counter["overdue"] += row.overdue
    division_counts = [
        DivisionCount(name=name, total=c["total"], done=c["done"], overdue=c["overdue"])
        for name, c in sorted(per_division.items(), key=lambda pair: (pair[0] == "", pair[0]))
    ]
    kept = [
        row
        for row in rows
        if (division_id is None or row.entry.division_id == division_id)
        and (not status or row.entry.status == status)
    ]
    return Board(
        year=year,
        rows=_ordered(kept),
        total=len(rows),
        status_counts=rules.status_counts(row.entry.status for row in rows),
        division_counts=division_counts,
        overdue=sum(row.overdue for row in rows),
        last_check=year.link_checks.order_by("-requested_at", "-pk").first(),
    )


def division_items(
    organisation: Organisation, division_id: int, today: date
) -> tuple[ReadinessYear | None, list[BoardRow]]:
    """The division's items of the organisation's latest readiness year (2 queries)."""
    year = (
        ReadinessYear.objects.filter(organisation=organisation)
        .select_related("organisation", "framework")
        .order_by("-fiscal_year")
        .first()
    )
    if year is None:
        return None, []
    entries = _items(year).filter(division_id=division_id)
    return year, _ordered([_row(entry, year, today) for entry in entries])


def item_for_edit(pk: int) -> ReadinessItem:
    return ReadinessItem.objects.select_related(
        "year__organisation", "year__framework", "item__indicator", "division", "updated_by"
    ).get(pk=pk)


def item_history(entry: ReadinessItem) -> list[object]:
    return list(entry.history.select_related("history_user", "division").order_by("-history_date"))
