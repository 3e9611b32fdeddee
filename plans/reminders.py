"""When a division or a supervisor is reminded of an action (pure: dates in, dates out).

The daily run asks these rules; the outbox (`plans.notifications`) keeps each reminder once
per what it is about, so running twice a day or every day repeats nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from plans import rules

DUE_SOON_DAYS = 30
STALE_DAYS = 60


def is_due_soon(
    *, status: str, end_month: date | None, today: date, days: int = DUE_SOON_DAYS
) -> bool:
    """Open work whose period ends (the last day of its end month) within `days` from today."""
    if end_month is None or status in rules.CLOSED_STATUSES:
        return False
    period_end = rules.month_end(end_month)
    return today <= period_end <= today + timedelta(days=days)


def stale_since(
    *,
    status: str,
    start_month: date,
    end_month: date,
    last_report: date | None,
    approved_on: date | None,
    today: date,
    days: int = STALE_DAYS,
) -> date | None:
    """The date progress was last heard of, when that is `days` or more ago; else None.

    Counted from the newest progress note, or, before the first note, from when the work
    could start (the start month, or the plan's approval if that was later). Closed work,
    work not started yet and overdue work (it has its own notice) are never stale.
    """
    if status in rules.CLOSED_STATUSES or today < start_month or today > rules.month_end(end_month):
        return None
    since = last_report or max(d for d in (start_month, approved_on) if d is not None)
    return since if (today - since).days >= days else None


def week_start(today: date) -> date:
    """The Monday of today's week: a supervisor gets one digest per week."""
    return today - timedelta(days=today.weekday())
