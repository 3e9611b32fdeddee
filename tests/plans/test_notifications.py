from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from plans import services
from plans.models import Notification
from plans.notifications import overdue_notify

AFTER_PERIOD = date(2026, 4, 2)  # the default period ends in March 2569 (2026)


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
    assert Notification.objects.filter(kind="assigned", action=action).count() == 1


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
    assert (first, second) == (6, 0)
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

    assert in_time == 0
    assert late == 5  # not 4 (done), none of the draft plan's actions
    assert not Notification.objects.filter(action__plan=draft_plan_2570).exists()


def test_notify_overdue_command_is_idempotent_and_reports_the_count(approved_plan, people):
    out = StringIO()

    call_command("notify_overdue", "--date", "2026-04-02", stdout=out)
    call_command("notify_overdue", "--date", "2026-04-02", stdout=out)

    assert out.getvalue().splitlines() == [
        "6 overdue notice(s) sent for 2026-04-02.",
        "0 overdue notice(s) sent for 2026-04-02.",
    ]


def test_notify_overdue_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("notify_overdue", "--date", "2.4.2569")


@pytest.fixture
def draft_plan_2570(assessment_2568, divisions):
    from .conftest import build_plan

    return build_plan(assessment_2568, divisions, fiscal_year=2570)
