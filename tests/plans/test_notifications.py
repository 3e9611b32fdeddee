from __future__ import annotations

import logging
import smtplib
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Division, Notification
from plans.notifications import DailyReport, header_safe, overdue_notify

AFTER_PERIOD = date(2026, 4, 2)  # the default period ends in March 2569 (2026)


@pytest.fixture
def approved_plan(approved_plan):
    # Its assignments' notices were sent on commit on a real server; the test transaction
    # never commits, so they are marked sent here to leave only the overdue ones.
    Notification.objects.update(sent_at=timezone.now(), attempts=1)
    mail.outbox.clear()
    return approved_plan


def test_assigning_an_action_mails_the_new_division_once(
    draft_plan, divisions, people, django_capture_on_commit_callbacks
):
    action = draft_plan.actions.get(indicator__number=7)  # สำนักปลัด already
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.action_assign(action=action, divisions=[divisions["สำนักปลัด"], divisions["กองคลัง"]])

    assert [m.to for m in mail.outbox] == [["finance@example.org"]]
    assert "กองคลัง" in mail.outbox[0].subject
    assert f"/plans/actions/{action.pk}/" in mail.outbox[0].body
    notice = Notification.objects.get(kind="assigned", action=action)
    assert (notice.attempts, notice.sent_at is not None, notice.last_error) == (1, True, "")


def test_assigning_all_divisions_mails_every_division_with_members(
    draft_plan, divisions, people, django_capture_on_commit_callbacks
):
    action = draft_plan.actions.get(indicator__number=4)  # กองคลัง already
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.action_assign(action=action, divisions=[], all_divisions=True)

    # สำนักปลัด has the office clerk and the supervisor; กองช่าง has nobody to mail.
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "chief@example.org",
        "office@example.org",
    ]


def test_assigning_a_division_without_members_sends_nothing(
    draft_plan, divisions, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.action_assign(action=draft_plan.actions.first(), divisions=[divisions["กองช่าง"]])

    assert callbacks == []  # กองช่าง has no members: nothing to send
    assert mail.outbox == []


def test_overdue_notices_go_to_each_responsible_division_once(approved_plan, people):
    mail.outbox.clear()

    first = overdue_notify(today=AFTER_PERIOD)
    second = overdue_notify(today=AFTER_PERIOD)

    # 4 กองคลัง; 6 ทุกกอง (กองคลัง, สำนักปลัด); 7, 8, 10 สำนักปลัด.
    assert (first, second) == (DailyReport(sent=6, failed=0), DailyReport(sent=0, failed=0))
    assert len(mail.outbox) == 6
    assert sum("finance@example.org" in m.to for m in mail.outbox) == 2
    assert Notification.objects.filter(kind="overdue").count() == 6


def test_overdue_notices_skip_done_actions_drafts_and_the_end_month_itself(
    approved_plan, draft_plan_2570, people
):
    action = approved_plan.actions.get(indicator__number=4)
    action.status = "done"
    action.save()

    in_time = overdue_notify(today=date(2026, 3, 31))
    late = overdue_notify(today=AFTER_PERIOD)

    assert in_time.sent == 0
    assert late.sent == 5  # not 4 (done), none of the draft plan's actions
    assert not Notification.objects.filter(kind="overdue", action__plan=draft_plan_2570).exists()


def test_notify_overdue_command_is_idempotent_and_reports_the_count(approved_plan, people):
    out = StringIO()

    call_command("notify_overdue", "--date", "2026-04-02", stdout=out)
    call_command("notify_overdue", "--date", "2026-04-02", stdout=out)

    assert out.getvalue().splitlines() == [
        "6 notice(s) sent for 2026-04-02.",
        "0 notice(s) sent for 2026-04-02.",
    ]


def test_notify_overdue_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("notify_overdue", "--date", "2.4.2569")


@pytest.fixture
def draft_plan_2570(assessment_2568, divisions):
    from .conftest import build_plan

    plan = build_plan(assessment_2568, divisions, fiscal_year=2570)
    Notification.objects.update(sent_at=timezone.now(), attempts=1)  # as approved_plan above
    return plan


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as smtplib does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


REFUSING = "tests.plans.test_notifications.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def test_header_safe_turns_line_breaks_and_control_characters_into_one_space():
    assert header_safe("กองคลัง\r\nBcc: x@evil.example\x00\x1b ok\u2028") == (
        "กองคลัง Bcc: x@evil.example ok"
    )


# A real transaction: the assignment commits and the mail is sent inside the request, as
# on a server (the test transaction would only run the callback after the response).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_assignment_with_the_mail_server_down_is_saved_redirects_and_is_retried(
    client, draft_plan, divisions, people, settings, caplog
):
    action = draft_plan.actions.get(indicator__number=7)
    settings.EMAIL_BACKEND = REFUSING
    client.force_login(people.supervisor)

    with caplog.at_level(logging.WARNING, logger="plans.notifications"):
        response = client.post(
            reverse("plans:action-assign", args=[action.pk]),
            {"divisions": [divisions["กองคลัง"].pk]},
        )

    assert response.status_code == 302
    assert response["Location"] == draft_plan.get_absolute_url()
    assert list(action.divisions.values_list("name", flat=True)) == ["กองคลัง"]
    notice = Notification.objects.get(kind="assigned", action=action)
    assert (notice.sent_at, notice.attempts) == (None, 1)
    assert "SMTPServerDisconnected" in notice.last_error
    assert "the daily run retries" in caplog.text

    settings.EMAIL_BACKEND = LOCMEM
    report = overdue_notify(today=date(2026, 1, 5))  # nothing overdue yet: only the retry

    assert report == DailyReport(sent=1, failed=0)
    assert [m.to for m in mail.outbox] == [["finance@example.org"]]
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2


def test_overdue_notices_that_fail_stay_pending_and_the_next_run_sends_them(
    approved_plan, people, settings
):
    settings.EMAIL_BACKEND = REFUSING

    failed = overdue_notify(today=AFTER_PERIOD)
    settings.EMAIL_BACKEND = LOCMEM
    retried = overdue_notify(today=AFTER_PERIOD)
    again = overdue_notify(today=AFTER_PERIOD)

    assert failed == DailyReport(sent=0, failed=6)
    assert retried == DailyReport(sent=6, failed=0)
    assert again == DailyReport(sent=0, failed=0)
    assert len(mail.outbox) == 6
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_notices_are_given_up_after_a_week_of_failed_daily_runs(approved_plan, people, settings):
    settings.EMAIL_BACKEND = REFUSING
    reports = [overdue_notify(today=AFTER_PERIOD) for _ in range(8)]

    assert [r.failed for r in reports] == [6] * 7 + [0]
    assert set(Notification.objects.filter(kind="overdue").values_list("attempts", flat=True)) == {
        7
    }


def test_a_division_named_with_crlf_gets_a_one_line_subject_and_the_run_goes_on(
    approved_plan, divisions, people
):
    Division.objects.filter(pk=divisions["กองคลัง"].pk).update(name="กองคลัง\r\nBcc: x@evil.example")

    report = overdue_notify(today=AFTER_PERIOD)

    assert report == DailyReport(sent=6, failed=0)
    subjects = [m.subject for m in mail.outbox if "finance@example.org" in m.to]
    assert len(subjects) == 2
    assert all("\r" not in s and "\n" not in s for s in subjects)
    assert all("กองคลัง Bcc: x@evil.example" in s for s in subjects)
    assert all(m.bcc == [] for m in mail.outbox)


def test_notify_overdue_command_reports_failures_on_stderr_and_exits_normally(
    approved_plan, people, settings
):
    settings.EMAIL_BACKEND = REFUSING
    out, err = StringIO(), StringIO()

    call_command("notify_overdue", "--date", "2026-04-02", stdout=out, stderr=err)

    assert out.getvalue() == "0 notice(s) sent for 2026-04-02.\n"
    assert err.getvalue() == "6 notice(s) could not be sent; the next run retries.\n"
