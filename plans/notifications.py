"""E-mail to a division's members when an action is given to it and when it falls overdue.

Mail goes through Django's mail backend (console by default). Each mail is written in the
site language (Thai), whoever triggered it, because it is read by the division's staff.
Every sent notice is logged in `Notification`; overdue notices are logged once per action,
division and end month, so the daily command can run again (or twice) without repeating.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ita.models import Membership
from ita.thai import format_period
from plans import rules
from plans.models import Action, Division, Notification, NotificationKind
from plans.queries import overdue_q


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


def _send(kind: str, action: Action, division: Division, recipients: Sequence[str]) -> None:
    context = {
        "action": action,
        "plan": action.plan,
        "division": division,
        "period": format_period(action.start_month, action.end_month, thai=True),
        "url": _site_url(reverse("plans:action-detail", args=[action.pk])),
    }
    with translation.override(settings.LANGUAGE_CODE):
        if kind == NotificationKind.ASSIGNED:
            subject = gettext("ITA plan %(year)s: a new action for %(division)s") % {
                "year": action.plan.fiscal_year,
                "division": division.name,
            }
        else:
            subject = gettext("ITA plan %(year)s: an action of %(division)s is overdue") % {
                "year": action.plan.fiscal_year,
                "division": division.name,
            }
        body = render_to_string(f"plans/email/action_{kind}.txt", context)
    send_mail(subject, body, None, list(recipients))


def assignment_notify(*, action: Action, recipients: dict[int, list[str]]) -> int:
    """Mail each newly responsible division (id -> addresses) that has someone to tell."""
    divisions = Division.objects.in_bulk([pk for pk, emails in recipients.items() if emails])
    for division_id, division in divisions.items():
        emails = recipients[division_id]
        _send(NotificationKind.ASSIGNED, action, division, emails)
        Notification.objects.create(
            kind=NotificationKind.ASSIGNED,
            action=action,
            division=division,
            recipients=", ".join(emails),
        )
    return len(divisions)


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


def overdue_notify(*, today: date) -> int:
    """Send every overdue notice not sent yet; returns how many mails went out."""
    actions = overdue_actions(today)
    already = set(
        Notification.objects.filter(
            kind=NotificationKind.OVERDUE, action__in=[a.pk for a in actions]
        ).values_list("action_id", "division_id", "due_month")
    )
    sent = 0
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
                # The log row first, in its own transaction: a second run racing this one
                # fails on the unique constraint instead of mailing again.
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
            _send(NotificationKind.OVERDUE, action, division, recipients)
            sent += 1
    return sent
