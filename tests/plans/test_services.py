from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plans import queries, services
from plans.models import Action, Evidence, Plan, PlanRevision, ProgressReport

PDF = b"%PDF-1.7\n" + b"0" * 200
BANGKOK = ZoneInfo("Asia/Bangkok")


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings) -> list[Path]:
    root = Path(settings.PLANS_EVIDENCE_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_plan_create_targets_the_year_after_the_assessment(assessment_2568, people):
    plan = services.plan_create(
        organisation=assessment_2568.organisation,
        assessment=assessment_2568,
        user=people.supervisor,
    )

    assert (plan.fiscal_year, plan.status, plan.revision) == (2569, "draft", 1)
    assert plan.created_by == people.supervisor


def test_plan_create_refuses_a_second_plan_for_the_year_and_another_organisations_results(
    draft_plan, assessment_2568, people
):
    other = people.outsider.memberships.get().organisation

    with pytest.raises(ValidationError):
        services.plan_create(organisation=assessment_2568.organisation, assessment=assessment_2568)
    with pytest.raises(ValidationError) as refused:
        services.plan_create(organisation=other, assessment=assessment_2568, fiscal_year=2570)

    assert "assessment" in refused.value.message_dict
    assert Plan.objects.count() == 1


def test_actions_from_drafts_get_the_default_period_and_the_item(draft_plan):
    actions = list(draft_plan.actions.select_related("indicator", "item"))

    assert [(a.indicator.number, a.item.code if a.item else "") for a in actions] == [
        (4, ""), (6, ""), (7, ""), (8, ""), (10, "o27"),
    ]  # fmt: skip
    assert {(a.start_month, a.end_month) for a in actions} == {
        (date(2025, 10, 1), date(2026, 3, 1))
    }
    assert actions[0].finding.startswith("คะแนน ๙๔.๓๘")


def test_plan_proposals_leave_out_what_the_plan_already_has(draft_plan):
    assert [p.key for p in queries.plan_proposals(draft_plan)] == ["9-o16"]


def test_plan_approve_freezes_content_and_keeps_a_snapshot(draft_plan, people):
    when = datetime(2025, 10, 20, 10, 0, tzinfo=BANGKOK)

    plan = services.plan_approve(plan=draft_plan, user=people.supervisor, now=when)

    revision = PlanRevision.objects.get(plan=plan)
    assert (plan.status, plan.approved_by, plan.approved_at) == (
        "approved",
        people.supervisor,
        when,
    )
    assert revision.number == 1
    assert [a["indicator"] for a in revision.snapshot["actions"]] == [4, 6, 7, 8, 10]
    assert revision.snapshot["actions"][0]["divisions"] == ["กองคลัง"]
    assert revision.snapshot["actions"][1]["all_divisions"] is True


def test_plan_approve_refuses_an_action_without_a_division(draft_plan, people):
    services.action_assign(action=draft_plan.actions.first(), divisions=[], all_divisions=False)

    with pytest.raises(ValidationError) as refused:
        services.plan_approve(plan=draft_plan, user=people.supervisor)

    assert "indicators 4 have none" in refused.value.messages[0]
    assert Plan.objects.get().status == "draft"


def test_approved_plan_refuses_every_content_change(approved_plan, divisions):
    action = approved_plan.actions.first()
    changes = [
        lambda: services.action_update(action=action, measure="อื่น"),
        lambda: services.action_delete(action=action),
        lambda: services.action_assign(action=action, divisions=[divisions["กองช่าง"]]),
        lambda: services.action_create(
            plan=approved_plan, indicator=action.indicator, finding="x", measure="y"
        ),
        lambda: services.actions_add_from_drafts(plan=approved_plan, drafts=[]),
    ]

    for change in changes:
        with pytest.raises(ValidationError) as refused:
            change()
        assert "frozen" in refused.value.messages[0]

    action.refresh_from_db()
    assert action.measure != "อื่น"
    assert list(action.divisions.values_list("name", flat=True)) == ["กองคลัง"]
    assert approved_plan.actions.count() == 5


def test_plan_revise_reopens_as_next_revision_and_keeps_the_approved_one(approved_plan, people):
    plan = services.plan_revise(plan=approved_plan, reason="สภาให้เพิ่มมาตรการ")
    action = plan.actions.first()
    services.action_update(action=action, measure="มาตรการที่ปรับแล้ว")
    services.plan_approve(plan=plan, user=people.supervisor)

    revisions = list(PlanRevision.objects.filter(plan=plan).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].reason == "สภาให้เพิ่มมาตรการ"
    assert revisions[0].snapshot["actions"][0]["measure"] != "มาตรการที่ปรับแล้ว"
    assert revisions[1].snapshot["actions"][0]["measure"] == "มาตรการที่ปรับแล้ว"


def test_plan_revise_needs_a_reason_and_an_approved_plan(approved_plan):
    with pytest.raises(ValidationError):
        services.plan_revise(plan=approved_plan, reason="  ")
    with pytest.raises(ValidationError):
        services.plan_revise(plan=Plan(status="draft"), reason="x")

    assert Plan.objects.get().revision == 1


def test_plan_present_records_the_meeting_on_the_plan_and_its_revision(approved_plan):
    services.plan_present(
        plan=approved_plan, council_date=date(2099, 11, 15), council_note="สมัยที่ 4"
    )

    revision = approved_plan.revisions.get()
    assert (approved_plan.status, approved_plan.council_date) == ("presented", date(2099, 11, 15))
    assert revision.council_date == date(2099, 11, 15)


def test_plan_present_refuses_a_draft_and_a_meeting_before_approval(draft_plan, people):
    with pytest.raises(ValidationError):
        services.plan_present(plan=draft_plan, council_date=date(2099, 1, 1))
    services.plan_approve(plan=draft_plan, user=people.supervisor)
    with pytest.raises(ValidationError):
        services.plan_present(plan=draft_plan, council_date=date(2000, 1, 1))

    assert Plan.objects.get().status == "approved"


def test_progress_record_saves_report_files_links_and_moves_the_status(
    approved_plan, people, divisions, settings
):
    action = approved_plan.actions.first()

    report = services.progress_record(
        action=action,
        user=people.finance_clerk,
        division=divisions["กองคลัง"],
        reported_on=date(2025, 11, 3),
        text="ร่างคู่มือการยืมทรัพย์สินแล้ว",
        percent=40,
        status="in_progress",
        files=[upload("คำสั่ง.pdf", PDF)],
        links=["https://example.go.th/manual"],
    )

    evidence = list(report.evidence.order_by("pk"))
    assert Action.objects.get(pk=action.pk).status == "in_progress"
    assert [(e.original_name, e.link) for e in evidence] == [
        ("คำสั่ง.pdf", ""),
        ("", "https://example.go.th/manual"),
    ]
    files = stored_files(settings)
    assert len(files) == 1 and files[0].read_bytes() == PDF
    assert "คำสั่ง" not in files[0].name  # stored under a random name
    assert not str(files[0]).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("big.pdf", b"%PDF-1.7\n" + b"0" * 2048, "the limit is"),
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "does not look like a PDF"),
    ],
)
def test_progress_record_refuses_a_bad_file_and_saves_nothing(
    approved_plan, people, settings, name, content, expected
):
    settings.PLANS_EVIDENCE_MAX_BYTES = 1024
    action = approved_plan.actions.first()

    with pytest.raises(ValidationError) as refused:
        services.progress_record(
            action=action,
            user=people.finance_clerk,
            division=None,
            reported_on=date(2025, 11, 3),
            text="x",
            percent=10,
            status="done",
            files=[upload("good.pdf", PDF[:500]), upload(name, content)],
        )

    assert expected in refused.value.messages[0]
    assert (ProgressReport.objects.count(), Evidence.objects.count()) == (0, 0)
    assert stored_files(settings) == []
    assert Action.objects.get(pk=action.pk).status == "not_started"


def test_progress_record_waits_for_approval(draft_plan, people):
    with pytest.raises(ValidationError) as refused:
        services.progress_record(
            action=draft_plan.actions.first(),
            user=people.supervisor,
            division=None,
            reported_on=date(2025, 11, 3),
            text="x",
            percent=10,
            status="in_progress",
        )

    assert "once the plan is approved" in refused.value.messages[0]


def test_action_assign_refuses_another_organisations_division(draft_plan, people):
    from ita.models import Division

    foreign = Division.objects.create(
        organisation=people.outsider.memberships.get().organisation, name="กองคลัง"
    )

    with pytest.raises(ValidationError):
        services.action_assign(action=draft_plan.actions.first(), divisions=[foreign])

    assert list(draft_plan.actions.first().divisions.values_list("name", flat=True)) == ["กองคลัง"]
    assert foreign.actions.count() == 0
