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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ita.models import Membership
from ita.thai import format_period
from plans import rules
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


def _site_url(path: str) -> str:
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


def _message(notice: Notification) -> tuple[str, str]:
    action, division = notice.action, notice.division
    context = {
        "action": action,
        "plan": action.plan,
        "division": division,
        "period": format_period(action.start_month, action.end_month, thai=True),
        "url": _site_url(reverse("plans:action-detail", args=[action.pk])),
    }
    names = {"year": action.plan.fiscal_year, "division": division.name}
    with translation.override(settings.LANGUAGE_CODE):
        if notice.kind == NotificationKind.ASSIGNED:
            subject = gettext("ITA plan %(year)s: a new action for %(division)s") % names
        else:
            subject = gettext("ITA plan %(year)s: an action of %(division)s is overdue") % names
        body = render_to_string(f"plans/email/action_{notice.kind}.txt", context)
    return header_safe(subject), body


def notice_deliver(*, notice: Notification) -> bool:
    """Send one pending notice; True once the mail server took it. Never raises.

    The row is locked while sending, so two daily runs that overlap do not both mail it.
    """
    with transaction.atomic():
        locked = (
            Notification.objects.select_for_update(skip_locked=True)
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


def overdue_notices_create(*, today: date) -> int:
    """Outbox rows for overdue notices not written yet; returns how many were added."""
    actions = overdue_actions(today)
    already = set(
        Notification.objects.filter(
            kind=NotificationKind.OVERDUE, action__in=[a.pk for a in actions]
        ).values_list("action_id", "division_id", "due_month")
    )
    created = 0
    for action in actions:
        responsible = (
            list(action.plan.organisation.divisions.all())
            if action.all_divisions
            else list(action.divisions.all())
        )
        addresses = division_addresses(responsible)
        for division in responsible:
            if (action.pk, division.pk, action.end_month) in already:
                continue
            recipients = addresses[division.pk]
            if not recipients:
                continue  # nobody to tell yet; a member added later still gets the notice
            try:
                # A second run racing this one fails on the unique constraint instead of
                # writing (and so mailing) the notice twice.
                with transaction.atomic():
                    Notification.objects.create(
                        kind=NotificationKind.OVERDUE,
                        action=action,
                        division=division,
                        due_month=action.end_month,
                        recipients=", ".join(recipients),
                    )
            except IntegrityError:
                continue
            created += 1
    return created


@dataclass(frozen=True)
class DailyReport:
    sent: int
    failed: int


def overdue_notify(*, today: date) -> DailyReport:
    """Write the overdue notices due today, then send every pending notice of any kind."""
    overdue_notices_create(today=today)
    pending = list(Notification.objects.pending().order_by("created_at", "pk"))
    sent = notices_deliver(pending)
    failed = Notification.objects.filter(pk__in=[n.pk for n in pending], sent_at__isnull=True)
    return DailyReport(sent=sent, failed=failed.count())
