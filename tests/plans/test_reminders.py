"""Reminders that follow the cycle: due within 30 days, no progress for 60 days, the weekly
supervisor digest. A fixed clock throughout: every run passes its `today`."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from plans import reminders, services
from plans.digest import digest_notices_create, digest_notify
from plans.models import Notification, Plan
from plans.notifications import reminder_notices_create, reminders_notify
from tests.plans.conftest import next_assessment

# The default period of the 2569 plan: October 2568 (2025) to March 2569 (2026).
MID_MARCH = date(2026, 3, 10)
MID_JANUARY = date(2026, 1, 15)


# --- The pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "end_month", "today", "due"),
    [
        ("in_progress", date(2026, 3, 1), date(2026, 3, 1), True),  # ends 31 March
        ("in_progress", date(2026, 3, 1), date(2026, 3, 1 + 30), True),
        ("in_progress", date(2026, 3, 1), date(2026, 2, 28), False),  # 31 days before
        ("in_progress", date(2026, 3, 1), date(2026, 4, 1), False),  # overdue, not due soon
        ("done", date(2026, 3, 1), date(2026, 3, 10), False),
        ("cancelled", date(2026, 3, 1), date(2026, 3, 10), False),
        ("not_started", None, date(2026, 3, 10), False),
    ],
)
def test_is_due_soon_within_thirty_days_of_the_end_of_the_end_month(status, end_month, today, due):
    assert reminders.is_due_soon(status=status, end_month=end_month, today=today) is due


@pytest.mark.parametrize(
    ("last_report", "approved_on", "today", "since"),
    [
        (None, None, date(2025, 11, 30), date(2025, 10, 1)),  # 60 days after the start
        (None, None, date(2025, 11, 29), None),
        (None, date(2025, 12, 1), date(2026, 1, 29), None),  # approved late: counted from it
        (None, date(2025, 12, 1), date(2026, 1, 30), date(2025, 12, 1)),
        (date(2026, 1, 2), date(2025, 10, 5), date(2026, 3, 3), date(2026, 1, 2)),
        (date(2026, 1, 2), date(2025, 10, 5), date(2026, 3, 2), None),  # 59 days
        (None, None, date(2026, 4, 1), None),  # overdue has its own notice
        (None, None, date(2025, 9, 1), None),  # not begun
    ],
)
def test_stale_since_counts_sixty_days_from_the_last_sign_of_work(
    last_report, approved_on, today, since
):
    got = reminders.stale_since(
        status="in_progress",
        start_month=date(2025, 10, 1),
        end_month=date(2026, 3, 1),
        last_report=last_report,
        approved_on=approved_on,
        today=today,
    )
    assert got == since


def test_stale_since_never_for_closed_work_and_week_start_is_monday():
    kwargs = {"start_month": date(2025, 10, 1), "end_month": date(2026, 3, 1)}
    for status in ("done", "cancelled"):
        assert (
            reminders.stale_since(
                status=status, last_report=None, approved_on=None, today=MID_JANUARY, **kwargs
            )
            is None
        )
    assert reminders.week_start(date(2026, 12, 2)) == date(2026, 11, 30)  # a Wednesday
    assert reminders.week_start(date(2026, 11, 30)) == date(2026, 11, 30)


# --- Notices to divisions ---------------------------------------------------------------------


@pytest.fixture
def running_plan(approved_plan):
    """The approved 2569 plan, approved on 5 October 2568; assignment mails already sent."""
    Plan.objects.filter(pk=approved_plan.pk).update(
        approved_at=timezone.make_aware(datetime(2025, 10, 5, 10, 0))
    )
    Notification.objects.update(sent_at=timezone.now(), attempts=1)
    mail.outbox.clear()
    return Plan.objects.get(pk=approved_plan.pk)


def test_due_soon_notices_each_division_once_however_often_the_command_runs(running_plan):
    first = reminders_notify(today=MID_MARCH)
    second = reminders_notify(today=MID_MARCH)
    third = reminders_notify(today=date(2026, 3, 20))

    notices = Notification.objects.filter(kind="due_soon")
    divisions = {n.division.name for n in notices}
    assert divisions == {"สำนักปลัด", "กองคลัง"}  # กองช่าง has nobody to mail
    assert first.sent == notices.count() + Notification.objects.filter(kind="stale").count()
    assert (second.sent, third.sent) == (0, 0)
    assert all(n.due_month == date(2026, 3, 1) for n in notices)
    subjects = {m.subject for m in mail.outbox if "30 days" in m.subject}
    assert subjects and all("2569" in s for s in subjects)


def test_stale_notices_skip_actions_with_recent_progress_and_return_after_new_silence(
    running_plan,
):
    reported = running_plan.actions.get(indicator__number=4, item__isnull=True)
    services.progress_record(
        action=reported, user=None, division=None, reported_on=date(2026, 1, 2),
        text="ประชุม", percent=20, status="in_progress",
    )  # fmt: skip

    created = reminder_notices_create(today=MID_JANUARY)
    again = reminder_notices_create(today=MID_JANUARY)
    later = reminder_notices_create(today=date(2026, 3, 3))  # 60 days after the note

    stale = Notification.objects.filter(kind="stale")
    assert created > 0 and again == 0
    assert reported.pk not in set(
        stale.filter(about=date(2025, 10, 5)).values_list("action", flat=True)
    )
    assert set(stale.filter(action=reported).values_list("about", flat=True)) == {date(2026, 1, 2)}
    assert later >= 1


def test_stale_notice_mail_is_thai_with_a_buddhist_era_date(running_plan, settings):
    settings.LANGUAGE_CODE = "th"

    reminders_notify(today=MID_JANUARY)

    message = next(m for m in mail.outbox if "60" in m.subject)
    assert "ไม่มีความคืบหน้า" in message.subject
    assert "๕ ตุลาคม ๒๕๖๘" in message.body


def test_carried_on_actions_are_not_reminded_in_their_old_plan(
    running_plan, assessment_2568, divisions
):
    old = running_plan.actions.get(indicator__number=7)
    new_plan = services.plan_create(
        organisation=running_plan.organisation,
        assessment=next_assessment(assessment_2568),
    )
    services.actions_carry_over(
        plan=new_plan, carries=[services.CarryChoice(old.pk, "indicator:7")]
    )

    reminder_notices_create(today=MID_MARCH)

    assert not Notification.objects.filter(action=old).exclude(kind="assigned").exists()
    assert Notification.objects.filter(kind="due_soon").exists()


def test_reminders_command_reports_what_it_sent(running_plan):
    out = StringIO()

    call_command("notify_reminders", "--date", MID_MARCH.isoformat(), stdout=out)
    call_command("notify_reminders", "--date", MID_MARCH.isoformat(), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].endswith("reminder(s) sent for 2026-03-10.") and not lines[0].startswith("0 ")
    assert lines[1] == "0 reminder(s) sent for 2026-03-10."


# --- The weekly digest ------------------------------------------------------------------------


def test_digest_goes_to_supervisors_once_a_week_done_but_fell_first(
    running_plan, people, assessment_2568
):
    done = running_plan.actions.get(indicator__number=4, item__isnull=True)
    services.progress_record(
        action=done, user=None, division=None, reported_on=date(2026, 3, 1),
        text="เสร็จ", percent=100, status="done",
    )  # fmt: skip
    next_assessment(assessment_2568, {4: "10.00"})
    after_period = date(2026, 4, 8)  # a Wednesday

    first = digest_notify(today=after_period)
    same_day = digest_notices_create(today=after_period)
    same_week = digest_notices_create(today=date(2026, 4, 12))
    next_week = digest_notices_create(today=date(2026, 4, 13))

    digests = Notification.objects.filter(kind="digest").order_by("about")
    assert (same_day, same_week, next_week) == (0, 0, 2)
    assert [d.about for d in digests] == [date(2026, 4, 6)] * 2 + [date(2026, 4, 13)] * 2
    # The supervisor and the administrator manage the plans; clerks and viewers get none.
    assert {d.user.username for d in digests} == {"chief", "admin1"}
    assert first.sent >= 2
    body = digests[0].body
    assert body.index("Marked done, yet the indicator fell") < body.index("Overdue")
    assert f"/plans/actions/{done.pk}/" in body
    assert "Due within 30 days" not in body  # nothing ends in the next month
    assert {m.subject for m in mail.outbox if m.to == ["chief@example.org"]} == {digests[0].subject}


def test_digest_sends_nothing_when_there_is_nothing_to_say(running_plan):
    before_anything = date(2025, 10, 6)  # the plan just began: nothing due, late or silent

    assert digest_notices_create(today=before_anything) == 0
    assert not Notification.objects.filter(kind="digest").exists()


def test_digest_command_is_idempotent_the_same_day(running_plan):
    out = StringIO()

    call_command("notify_digest", "--date", "2026-04-08", stdout=out)
    count = Notification.objects.filter(kind="digest").count()
    call_command("notify_digest", "--date", "2026-04-08", stdout=out)

    assert count == 2
    assert Notification.objects.filter(kind="digest").count() == 2
    assert out.getvalue().splitlines()[1] == "0 digest(s) and notice(s) sent for 2026-04-08."
