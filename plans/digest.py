"""The weekly digest for supervisors: what is overdue, due soon or silent, and which measures
were reported done while their indicator fell (those first).

Written into the outbox (`plans.notifications`) once per supervisor and week, with its text,
by the daily `notify_digest` run; the rows are sent like every other notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from ita.models import Membership, Organisation
from ita.thai import format_date, format_month, format_score
from plans import reminders, roles, rules
from plans.models import Action, Notification, NotificationKind, Plan
from plans.notifications import (
    DailyReport,
    due_soon_actions,
    header_safe,
    overdue_actions,
    pending_deliver,
    site_url,
    stale_actions,
)
from plans.outcome_queries import plan_outcomes


@dataclass(frozen=True)
class DigestLine:
    action: Action
    note: str  # the date or figures that make it worth a line, in Thai


@dataclass(frozen=True)
class DigestSection:
    organisation: Organisation
    done_but_fell: list[DigestLine]
    overdue: list[DigestLine]
    due_soon: list[DigestLine]
    stale: list[DigestLine]

    @property
    def is_empty(self) -> bool:
        return not (self.done_but_fell or self.overdue or self.due_soon or self.stale)


def _supervisors() -> dict[int, tuple[Any, list[int]]]:
    """Each active user with an address and the organisations they manage (2 queries)."""
    memberships = (
        Membership.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("user__groups")
        .order_by("user__pk", "organisation__pk")
    )
    found: dict[int, tuple[Any, list[int]]] = {}
    for membership in memberships:
        user = membership.user
        role = roles.effective_role(
            membership.role,
            roles.role_from_groups(g.name for g in user.groups.all()),
            is_superuser=user.is_superuser,
        )
        if roles.can_manage(role):
            found.setdefault(user.pk, (user, []))[1].append(membership.organisation_id)
    return found


def _done_but_fell(organisation_ids: Iterable[int]) -> dict[int, list[DigestLine]]:
    """Measures reported done whose target fell the next year, per organisation."""
    lines: dict[int, list[DigestLine]] = {}
    plans = (
        Plan.objects.filter(organisation_id__in=list(organisation_ids))
        .exclude(status=rules.DRAFT)
        .select_related("assessment__framework")
        .order_by("organisation", "fiscal_year")
    )
    for plan in plans:
        actions = {
            a.pk: a for a in plan.actions.select_related("indicator", "question", "item", "plan")
        }
        for outcome in plan_outcomes(plan, actions.values()):
            if outcome.done_but_fell:
                note = (
                    f"{format_score(outcome.base, thai=True)} → "
                    f"{format_score(outcome.later, thai=True)}"
                )
                lines.setdefault(plan.organisation_id, []).append(
                    DigestLine(actions[outcome.action_id], note)
                )
    return lines


def digest_sections(*, today: date, organisation_ids: Iterable[int]) -> list[DigestSection]:
    """What a supervisor's weekly digest says about each organisation, done-but-fell first."""
    wanted = set(organisation_ids)
    grouped: dict[str, dict[int, list[DigestLine]]] = {
        "overdue": {},
        "due_soon": {},
        "stale": {},
    }
    for action in overdue_actions(today):
        grouped["overdue"].setdefault(action.plan.organisation_id, []).append(
            DigestLine(action, format_month(action.end_month, thai=True))
        )
    for action in due_soon_actions(today):
        grouped["due_soon"].setdefault(action.plan.organisation_id, []).append(
            DigestLine(action, format_month(action.end_month, thai=True))
        )
    for action, since in stale_actions(today):
        grouped["stale"].setdefault(action.plan.organisation_id, []).append(
            DigestLine(action, format_date(since, thai=True))
        )
    fell = _done_but_fell(wanted)
    organisations = Organisation.objects.filter(pk__in=wanted).order_by("name")
    return [
        DigestSection(
            organisation=organisation,
            done_but_fell=fell.get(organisation.pk, []),
            overdue=grouped["overdue"].get(organisation.pk, []),
            due_soon=grouped["due_soon"].get(organisation.pk, []),
            stale=grouped["stale"].get(organisation.pk, []),
        )
        for organisation in organisations
    ]


def digest_notices_create(*, today: date) -> int:
    """One digest per supervisor and week, written on the week's first run with news.

    The text is written now (the outbox keeps what was said); a supervisor whose
    organisations have nothing to report gets no mail that run.
    """
    week = reminders.week_start(today)
    supervisors = _supervisors()
    told = set(
        Notification.objects.filter(kind=NotificationKind.DIGEST, about=week).values_list(
            "user_id", flat=True
        )
    )
    waiting = {pk: v for pk, v in supervisors.items() if pk not in told}
    if not waiting:
        return 0
    all_ids = {pk for _user, ids in waiting.values() for pk in ids}
    sections_all = digest_sections(today=today, organisation_ids=all_ids)
    by_organisation = {s.organisation.pk: s for s in sections_all}
    created = 0
    for user, ids in waiting.values():
        sections = [by_organisation[pk] for pk in ids if not by_organisation[pk].is_empty]
        if not sections:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("ITA plans: the week of %(date)s") % {
                "date": format_date(week, thai=True)
            }
            body = render_to_string(
                "plans/email/digest.txt",
                {
                    "user": user,
                    "week": format_date(week, thai=True),
                    "today": format_date(today, thai=True),
                    "sections": sections,
                    "site_url": site_url(""),
                },
            )
        try:
            with transaction.atomic():
                Notification.objects.create(
                    kind=NotificationKind.DIGEST,
                    user=user,
                    about=week,
                    subject=header_safe(subject),
                    body=body,
                    recipients=user.email,
                )
        except IntegrityError:
            continue
        created += 1
    return created


def digest_notify(*, today: date) -> DailyReport:
    """Write this week's supervisor digests not written yet, then send every pending notice."""
    digest_notices_create(today=today)
    return pending_deliver()
