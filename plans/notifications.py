"""E-mail to a division's members when an action is given to it and when it falls overdue.

Every mail is a `Notification` row first (an outbox) and is sent after the write that caused
it commits; a mail server that is down or refuses costs a logged warning, never the saved
work or a server error, and the next daily `notify_overdue` run sends what is still pending.
A row is marked sent only once the mail server took it. Each mail is written in the site
language (Thai), whoever triggered it, because it is read by the division's staff. Overdue
notices exist once per action, division and end month, so the daily command can run again
(or twice) without repeating.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from ita.models import Membership
from ita.thai import format_date, format_period
from plans import reminders, rules
from plans.models import Action, Division, Notification, NotificationKind
from plans.queries import overdue_q

logger = logging.getLogger(__name__)
_SPACES = re.compile(r"\s+")


def header_safe(text: str) -> str:
    """One line for a mail header: line breaks and control characters become spaces.

    A division named with a stray CR/LF (pasted from a spreadsheet) would otherwise make
    Django refuse the whole mail as a header injection.
    """
    cleaned = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in text)
    return _SPACES.sub(" ", cleaned).strip()


def site_url(path: str) -> str:
    # SITE_URL (e.g. https://ita.example.go.th) makes the link clickable in a mail client.
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def division_addresses(divisions: Iterable[Division]) -> dict[int, list[str]]:
    """E-mail addresses of each division's active members (one query)."""
    ids = [d.pk for d in divisions]
    addresses: dict[int, list[str]] = {pk: [] for pk in ids}
    rows = (
        Membership.objects.filter(division_id__in=ids, user__is_active=True)
        .exclude(user__email="")
        .values_list("division_id", "user__email")
        .order_by("user__email")
    )
    for division_id, email in rows:
        addresses[division_id].append(email)
    return addresses


SUBJECTS = {
    NotificationKind.ASSIGNED: gettext_noop("ITA plan %(year)s: a new action for %(division)s"),
    NotificationKind.OVERDUE: gettext_noop(
        "ITA plan %(year)s: an action of %(division)s is overdue"
    ),
    NotificationKind.DUE_SOON: gettext_noop(
        "ITA plan %(year)s: an action of %(division)s ends within 30 days"
    ),
    NotificationKind.STALE: gettext_noop(
        "ITA plan %(year)s: no progress for 60 days on an action of %(division)s"
    ),
}


def _message(notice: Notification) -> tuple[str, str]:
    if notice.kind == NotificationKind.DIGEST:
        return header_safe(notice.subject), notice.body  # written when it was created
    action, division = notice.action, notice.division
    assert action is not None and division is not None  # every other kind has both
    context = {
        "action": action,
        "plan": action.plan,
        "division": division,
        "period": format_period(action.start_month, action.end_month, thai=True),
        "since": format_date(notice.about, thai=True) if notice.about else "",
        "url": site_url(reverse("plans:action-detail", args=[action.pk])),
    }
    names = {"year": action.plan.fiscal_year, "division": division.name}
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext(SUBJECTS[NotificationKind(notice.kind)]) % names
        body = render_to_string(f"plans/email/action_{notice.kind}.txt", context)
    return header_safe(subject), body


def notice_deliver(*, notice: Notification) -> bool:
    """Send one pending notice; True once the mail server took it. Never raises.

    The row is locked while sending, so two daily runs that overlap do not both mail it.
    """
    with transaction.atomic():
        locked = (
            # Only the notice's row is locked: PostgreSQL refuses to lock the outer-joined
            # rows of a digest, which has no action and no division.
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("action__plan", "action__indicator", "division")
            .filter(pk=notice.pk, sent_at__isnull=True)
            .first()
        )
        if locked is None:
            return False  # sent meanwhile, or being sent by another run
        recipients = [a.strip() for a in locked.recipients.split(",") if a.strip()]
        locked.attempts += 1
        try:
            subject, body = _message(locked)
            send_mail(subject, body, None, recipients)
        except Exception as exc:  # any failure must leave the notice pending, never raise
            locked.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            locked.save(update_fields=["attempts", "last_error"])
            logger.warning(
                "Notice %s (%s, action %s) not sent, attempt %s; the daily run retries: %s",
                locked.pk,
                locked.kind,
                locked.action_id,
                locked.attempts,
                locked.last_error,
            )
            return False
        locked.sent_at = timezone.now()
        locked.last_error = ""
        locked.save(update_fields=["attempts", "last_error", "sent_at"])
    notice.sent_at = locked.sent_at
    return True


def notices_deliver(notices: Iterable[Notification]) -> int:
    """Try each notice; returns how many went out. Meant for on_commit and the daily run."""
    return sum(notice_deliver(notice=notice) for notice in notices)


def assignment_notices_create(
    *, action: Action, recipients: dict[int, list[str]]
) -> list[Notification]:
    """Outbox rows for each newly responsible division (id -> addresses) with someone to tell.

    Called inside the assignment's transaction, so the notice exists exactly when the
    assignment does; sending waits for the commit.
    """
    return [
        Notification.objects.create(
            kind=NotificationKind.ASSIGNED,
            action=action,
            division_id=division_id,
            recipients=", ".join(emails),
        )
        for division_id, emails in recipients.items()
        if emails
    ]


def overdue_actions(today: date) -> list[Action]:
    """Open actions of approved plans whose end month has passed, with their divisions."""
    divisions = Division.objects.filter(is_active=True).order_by("order", "name")
    return list(
        Action.objects.filter(overdue_q(today))
        .exclude(plan__status=rules.DRAFT)
        .select_related("plan__organisation", "indicator")
        .prefetch_related(
            Prefetch("divisions", queryset=divisions),
            Prefetch("plan__organisation__divisions", queryset=divisions),
        )
        .order_by("plan__organisation", "end_month", "pk")
    )


def _responsible(action: Action) -> list[Division]:
    """The divisions that answer for an action (prefetched active ones, see the readers)."""
    if action.all_divisions:
        return list(action.plan.organisation.divisions.all())
    return list(action.divisions.all())


def _division_notices_create(
    *,
    kind: NotificationKind,
    actions: Iterable[Action],
    key: str,
    value_of: Callable[[Action], date],
) -> int:
    """Outbox rows of `kind` for each responsible division not told yet about `key`'s value.

    `key` is the field the notice is kept once per (with action and division): the end
    month for overdue and due-soon notices, the last-progress date for stale ones.
    """
    actions = list(actions)
    already = set(
        Notification.objects.filter(kind=kind, action__in=[a.pk for a in actions]).values_list(
            "action_id", "division_id", key
        )
    )
    created = 0
    for action in actions:
        responsible = _responsible(action)
        addresses = division_addresses(responsible)
        value = value_of(action)
        for division in responsible:
            if (action.pk, division.pk, value) in already:
                continue
            recipients = addresses[division.pk]
            if not recipients:
                continue  # nobody to tell yet; a member added later still gets the notice
            try:
                # A second run racing this one fails on the unique constraint instead of
                # writing (and so mailing) the notice twice.
                with transaction.atomic():
                    Notification.objects.create(
                        kind=kind,
                        action=action,
                        division=division,
                        recipients=", ".join(recipients),
                        **{key: value},
                    )
            except IntegrityError:
                continue
            created += 1
    return created


def overdue_notices_create(*, today: date) -> int:
    """Outbox rows for overdue notices not written yet; returns how many were added."""
    return _division_notices_create(
        kind=NotificationKind.OVERDUE,
        actions=overdue_actions(today),
        key="due_month",
        value_of=lambda a: a.end_month,
    )


def _open_running_actions(today: date) -> QuerySet[Action]:
    """Open actions of approved plans, not carried on in a later plan, with their divisions."""
    divisions = Division.objects.filter(is_active=True).order_by("order", "name")
    return (
        Action.objects.exclude(plan__status=rules.DRAFT)
        .exclude(status__in=list(rules.CLOSED_STATUSES))
        .exclude(Exists(Action.objects.filter(continued_from=OuterRef("pk"))))
        .select_related("plan__organisation", "indicator")
        .prefetch_related(
            Prefetch("divisions", queryset=divisions),
            Prefetch("plan__organisation__divisions", queryset=divisions),
        )
        .annotate(
            last_report=Max("reports__reported_on", filter=Q(reports__reported_on__lte=today))
        )
        .order_by("plan__organisation", "end_month", "pk")
    )


def due_soon_actions(today: date) -> list[Action]:
    """Open actions whose period ends within 30 days (`reminders.is_due_soon`)."""
    last_month = rules.month_start(today + timedelta(days=reminders.DUE_SOON_DAYS))
    candidates = _open_running_actions(today).filter(
        end_month__gte=rules.month_start(today), end_month__lte=last_month
    )
    return [
        a
        for a in candidates
        if reminders.is_due_soon(status=a.status, end_month=a.end_month, today=today)
    ]


def stale_actions(today: date) -> list[tuple[Action, date]]:
    """Running actions without progress for 60 days, with the date last heard of."""
    found = []
    candidates = _open_running_actions(today).filter(
        start_month__lte=today, end_month__gte=rules.month_start(today)
    )
    for action in candidates:
        approved = timezone.localdate(action.plan.approved_at) if action.plan.approved_at else None
        since = reminders.stale_since(
            status=action.status,
            start_month=action.start_month,
            end_month=action.end_month,
            last_report=action.last_report,
            approved_on=approved,
            today=today,
        )
        if since is not None:
            found.append((action, since))
    return found


def reminder_notices_create(*, today: date) -> int:
    """Due-within-30-days and no-progress-for-60-days notices not written yet."""
    stale = stale_actions(today)
    since = {a.pk: d for a, d in stale}
    return _division_notices_create(
        kind=NotificationKind.DUE_SOON,
        actions=due_soon_actions(today),
        key="due_month",
        value_of=lambda a: a.end_month,
    ) + _division_notices_create(
        kind=NotificationKind.STALE,
        actions=[a for a, _ in stale],
        key="about",
        value_of=lambda a: since[a.pk],
    )


@dataclass(frozen=True)
class DailyReport:
    sent: int
    failed: int


def pending_deliver() -> DailyReport:
    """Send every pending notice of any kind (what each daily command ends with)."""
    pending = list(Notification.objects.pending().order_by("created_at", "pk"))
    sent = notices_deliver(pending)
    failed = Notification.objects.filter(pk__in=[n.pk for n in pending], sent_at__isnull=True)
    return DailyReport(sent=sent, failed=failed.count())


def overdue_notify(*, today: date) -> DailyReport:
    """Write the overdue notices due today, then send every pending notice of any kind."""
    overdue_notices_create(today=today)
    return pending_deliver()


def reminders_notify(*, today: date) -> DailyReport:
    """Write today's due-soon and no-progress notices, then send every pending notice."""
    reminder_notices_create(today=today)
    return pending_deliver()
