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

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F

from ita.models import Framework, PeerYear
from ita.peers import changes
from ita.peers.changes import INCREMENTAL_LIMIT
from ita.peers.passes import pending_refresh, refresh_year

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
        changes.peers_refresh_changed(
            framework_id=self.peer_framework_id, assessment_ids=self.changed
        )


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
    pending = pending_refresh(framework_id)
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
    refresh_year(framework_id, year.version)
