"""The whole workflow through the pages, as the issue's "done when" describes it."""

from __future__ import annotations

from pathlib import Path

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Plan

PDF = b"%PDF-1.7\n" + b"x" * 300


def test_supervisor_plans_2569_from_2568_and_the_finance_clerk_reports_progress(
    client, people, divisions, organisation, settings, django_capture_on_commit_callbacks
):
    # The supervisor creates the 2569 plan from the 2568 results.
    client.force_login(people.supervisor)
    response = client.post(
        reverse("plans:plan-create", args=[organisation.pk]),
        {"assessment": organisation.assessments.get().pk, "fiscal_year": ""},
    )
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:plan-draft", args=[plan.pk])
    assert plan.fiscal_year == 2569

    # ... sees six proposals and accepts five of them, editing one finding.
    page = client.get(response["Location"])
    proposals = [row[1] for row in page.context["rows"]]
    assert [p.key for p in proposals] == ["4", "6", "7", "8", "9-o16", "10-o27"]
    data = {"p-TOTAL_FORMS": "6", "p-INITIAL_FORMS": "6"}
    for i, p in enumerate(proposals):
        data |= {
            f"p-{i}-key": p.key,
            f"p-{i}-finding": p.finding,
            f"p-{i}-measure": p.measure,
            f"p-{i}-steps": p.steps,
        }
        if p.item_code != "o16":
            data[f"p-{i}-accept"] = "on"
    data["p-0-finding"] = "คะแนน ๙๔.๓๘\n- มีการขอยืมทรัพย์สินไปใช้อย่างไม่ถูกต้อง (แก้ไข)"
    client.post(reverse("plans:plan-draft", args=[plan.pk]), data)
    actions = {a.indicator.number: a for a in plan.actions.select_related("indicator")}
    assert sorted(actions) == [4, 6, 7, 8, 10]
    assert actions[4].finding.endswith("(แก้ไข)")

    # ... assigns 4 to กองคลัง and the others to สำนักปลัด; each division is mailed once.
    with django_capture_on_commit_callbacks(execute=True):
        for number, action in actions.items():
            division = divisions["กองคลัง"] if number == 4 else divisions["สำนักปลัด"]
            response = client.post(
                reverse("plans:action-assign", args=[action.pk]), {"divisions": [division.pk]}
            )
            assert response["Location"] == plan.get_absolute_url()
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients.count("finance@example.org") == 1
    assert recipients.count("office@example.org") == 4

    # ... and approves the plan.
    response = client.post(reverse("plans:plan-approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == ("approved", people.supervisor)

    # The กองคลัง clerk sees only action 4 to work on.
    client.force_login(people.finance_clerk)
    work = client.get(reverse("plans:organisation-my-work", args=[organisation.pk]))
    assert [a.indicator.number for a in work.context["table"].data] == [4]
    other = client.get(reverse("plans:action-detail", args=[actions[7].pk]))
    assert other.context["form"] is None  # may look, may not report

    # ... records progress with a file.
    response = client.post(
        reverse("plans:progress-create", args=[actions[4].pk]),
        {
            "reported_on_0": "15",
            "reported_on_1": "12",
            "reported_on_2": "2568",
            "text": "ออกคำสั่งและร่างคู่มือการยืมทรัพย์สินแล้ว",
            "percent": "60",
            "status": "in_progress",
            "links": "https://example.go.th/k",
            "files": [SimpleUploadedFile("คำสั่ง.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response["Location"] == actions[4].get_absolute_url()
    page = client.get(response["Location"])
    report = page.context["reports"][0]
    assert (report.percent, report.division.name, report.created_by) == (
        60,
        "กองคลัง",
        people.finance_clerk,
    )
    assert "คำสั่ง.pdf" in page.content.decode()
    assert len(list(Path(settings.PLANS_EVIDENCE_ROOT).rglob("*.pdf"))) == 1

    # The history shows each step, with who did it.
    client.force_login(people.viewer)
    entries = client.get(reverse("plans:plan-history", args=[plan.pk])).context["entries"]
    steps = [(e.what, e.kind, e.who) for e in reversed(entries)]
    assert steps[0] == ("plan", "+", "chief")
    assert steps.count(("action", "+", "chief")) == 5
    assert ("evidence", "+", "finance") in steps
    approval = next(e for e in entries if e.what == "plan" and e.kind == "~")
    assert ("status", "draft", "approved") in [
        (label, old, new) for label, old, new in approval.changes
    ]
    action_4 = [e.changes for e in entries if e.what == "action" and e.label.startswith("4.")]
    assert ("responsible divisions", "—", "กองคลัง") in [c for changes in action_4 for c in changes]
    assert ("status", "not started", "in progress") in [c for changes in action_4 for c in changes]
    report_entry = next(e for e in entries if e.what == "report")
    assert (report_entry.kind, report_entry.who, report_entry.label) == ("+", "finance", "4. 60%")
