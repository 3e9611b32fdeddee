"""Writes of the OIT readiness board: open a year from its framework, set the default due
date, update an item, ask for and run a link check.

Each write validates (`full_clean`) inside one transaction, so nothing is half-saved; the
views, the admin and the `check_evidence_links` command call these functions.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from ita.bilingual import bilingual
from ita.models import Division, Framework, Item, Organisation
from plans.enums import LinkCheckState
from plans.readiness import linkcheck
from plans.readiness.models import LinkCheckRequest, ReadinessItem, ReadinessYear


def no_framework_message(fiscal_year: int) -> str:
    return bilingual(
        gettext_noop(
            "There is no framework for fiscal year %(year)s yet, so its OIT items are unknown. "
            "An administrator enters the year's framework first (Data entry → Frameworks)."
        ),
        year=fiscal_year,
    )


def no_items_message(fiscal_year: int) -> str:
    return bilingual(
        gettext_noop("The framework of fiscal year %(year)s has no OIT items yet."),
        year=fiscal_year,
    )


def open_refusal(fiscal_year: int) -> str | None:
    """Why a board cannot be opened for a year (no framework, or one without items)."""
    framework = Framework.objects.filter(fiscal_year=fiscal_year).first()
    if framework is None:
        return no_framework_message(fiscal_year)
    if not Item.objects.filter(indicator__framework=framework).exists():
        return no_items_message(fiscal_year)
    return None


@transaction.atomic
def readiness_open(
    *, organisation: Organisation, fiscal_year: int, default_due_date: date, user: object
) -> ReadinessYear:
    """Open (or complete) the board of a year: one row per OIT item of its framework.

    Opening again after the framework gained items adds the missing rows and keeps the rest.
    """
    framework = Framework.objects.filter(fiscal_year=fiscal_year).first()
    if framework is None:
        raise ValidationError(no_framework_message(fiscal_year), code="no_framework")
    year = ReadinessYear.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
    if year is None:
        year = ReadinessYear(
            organisation=organisation,
            fiscal_year=fiscal_year,
            framework=framework,
            default_due_date=default_due_date,
            created_by=user if getattr(user, "pk", None) else None,
        )
    else:
        year.default_due_date = default_due_date
    year.full_clean()
    year.save()
    existing = set(year.items.values_list("item_id", flat=True))
    items = Item.objects.filter(indicator__framework=framework).exclude(pk__in=existing)
    rows = [ReadinessItem(year=year, item=item) for item in items.order_by("order", "code")]
    if not rows and not existing:
        raise ValidationError(no_items_message(fiscal_year), code="no_items")
    if rows:
        bulk_create_with_history(rows, ReadinessItem)
    return year


@dataclass(frozen=True)
class ItemChange:
    """What a form changes on an item; None leaves a field as it is (clerks send no division
    or due date)."""

    status: str
    evidence_url: str
    note: str
    division: Division | None = None
    due_date: date | None = None
    set_owner: bool = False


@transaction.atomic
def readiness_item_update(
    *, item: ReadinessItem, change: ItemChange, user: object
) -> ReadinessItem:
    item.status = change.status
    if item.evidence_url != change.evidence_url:
        item.evidence_url = change.evidence_url
        # A new address has not been checked yet: an old result would mislead.
        item.link_status = None
        item.link_final_url = ""
        item.link_error = ""
        item.link_checked_at = None
    item.note = change.note
    if change.set_owner:
        item.division = change.division
        item.due_date = change.due_date
    item.updated_by = user if getattr(user, "pk", None) else None
    item.updated_at = timezone.now()
    item.full_clean()
    # The history names the user also when the command line or a test calls this.
    item._history_user = item.updated_by  # type: ignore[attr-defined]
    item.save()
    return item


# --- link checks ---------------------------------------------------------------------------


def link_check_request(*, year: ReadinessYear, user: object) -> LinkCheckRequest:
    """Record a request (or return the one still waiting or running) and start it after commit.

    The check itself never runs in the request: in the embedded set-up a thread starts once
    the request row is committed; the scheduler's `check_evidence_links` picks up whatever
    is still pending (a restart killed the thread, or threads are switched off).
    """
    with transaction.atomic():
        open_request = year.link_checks.filter(
            state__in=[LinkCheckState.PENDING, LinkCheckState.RUNNING]
        ).first()
        if open_request is not None:
            return open_request
        request = LinkCheckRequest.objects.create(
            year=year, requested_by=user if getattr(user, "pk", None) else None
        )
    if settings.EVIDENCE_LINKS_IN_THREAD:
        transaction.on_commit(lambda: _start_thread(request.pk), robust=True)
    return request


def _start_thread(request_id: int) -> None:
    threading.Thread(
        target=_run_in_thread, args=(request_id,), name=f"link-check-{request_id}", daemon=True
    ).start()


def _run_in_thread(request_id: int) -> None:
    # A thread has its own database connection: open it fresh and close it when done.
    close_old_connections()
    try:
        link_check_run(request_id=request_id)
    finally:
        connection.close()


def _claim(request_id: int) -> bool:
    """Mark a pending request as running; False when someone else took it first."""
    claimed = LinkCheckRequest.objects.filter(pk=request_id, state=LinkCheckState.PENDING).update(
        state=LinkCheckState.RUNNING, started_at=timezone.now()
    )
    return claimed == 1


@dataclass(frozen=True)
class CheckLimits:
    per_url: float
    total: float
    allow_private: bool

    @classmethod
    def from_settings(cls) -> CheckLimits:
        return cls(
            per_url=float(settings.EVIDENCE_LINKS_TIMEOUT),
            total=float(settings.EVIDENCE_LINKS_TOTAL),
            allow_private=bool(settings.EVIDENCE_LINKS_ALLOW_PRIVATE),
        )


def link_check_run(
    *, request_id: int, limits: CheckLimits | None = None
) -> LinkCheckRequest | None:
    """Check every evidence link of the request's year, within the time limits.

    Each result is saved as soon as it is known (a long run shows progress); links left when
    the total time is up keep their old result and are counted as skipped.
    """
    if not _claim(request_id):
        return None
    limits = limits or CheckLimits.from_settings()
    request = LinkCheckRequest.objects.select_related("year").get(pk=request_id)
    deadline = time.monotonic() + limits.total
    checked = failed = skipped = 0
    items = list(request.year.items.exclude(evidence_url="").order_by("item__order", "pk"))
    for item in items:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            skipped += 1
            continue
        result = linkcheck.check_url(
            item.evidence_url,
            timeout=min(limits.per_url, remaining),
            allow_private=limits.allow_private,
        )
        ReadinessItem.objects.filter(pk=item.pk, evidence_url=item.evidence_url).update(
            link_status=result.status,
            link_final_url=result.final_url[:1000],
            link_error=result.error[:300],
            link_checked_at=timezone.now(),
        )
        checked += 1
        failed += 0 if result.ok else 1
    LinkCheckRequest.objects.filter(pk=request_id).update(
        state=LinkCheckState.FINISHED,
        finished_at=timezone.now(),
        checked=checked,
        failed=failed,
        skipped=skipped,
    )
    request.refresh_from_db()
    return request


def link_checks_pending() -> list[int]:
    """Requests waiting to run, oldest first (for the scheduler's command)."""
    return list(
        LinkCheckRequest.objects.filter(state=LinkCheckState.PENDING)
        .order_by("requested_at", "pk")
        .values_list("pk", flat=True)
    )


def link_checks_release_stale(*, older_than_seconds: float) -> int:
    """Requests left 'running' by a process that died go back to pending."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return LinkCheckRequest.objects.filter(
        state=LinkCheckState.RUNNING, started_at__lt=cutoff
    ).update(state=LinkCheckState.PENDING, started_at=None)
