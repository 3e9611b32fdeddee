from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import services
from plans.models import Evidence, Plan, ProgressReport

PDF = b"%PDF-1.7\n" + b"p" * 100


def plan_with(assessment, divisions, supervisor, count: int, *, fiscal_year: int = 2569) -> Plan:
    """An approved plan of `count` actions (indicators 4, 6, 7 ...) each with one report."""
    plan = services.plan_create(
        organisation=assessment.organisation, assessment=assessment, fiscal_year=fiscal_year
    )
    indicators = assessment.framework.indicators.order_by("number")
    for indicator in list(indicators.filter(number__in=[4, 6, 7, 8]))[:count]:
        action = services.action_create(
            plan=plan, indicator=indicator, finding=f"คะแนน {indicator.number}", measure="ม"
        )
        services.action_assign(action=action, divisions=[divisions["กองคลัง"]])
    services.plan_approve(plan=plan, user=supervisor)
    for action in plan.actions.all():
        report_on(action)
    return plan


def report_on(action, n: int = 1):
    for i in range(n):
        services.progress_record(
            action=action,
            user=None,
            division=None,
            reported_on=date(2025, 11, 1 + i),
            text=f"รายงาน {i}",
            percent=10 * (i + 1),
            status="in_progress",
            files=[SimpleUploadedFile(f"e{i}.pdf", PDF)],
            links=["https://example.go.th/x"],
        )


def progress_data(**extra):
    return {
        "reported_on_0": "5", "reported_on_1": "11", "reported_on_2": "2568",
        "text": "ทำแล้ว", "percent": "50", "status": "in_progress", "links": "",
    } | extra  # fmt: skip


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- Query counts: 1 and 3 rows cost the same -------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_plan_detail_query_count_does_not_grow_with_actions(
    client, people, divisions, assessment_2568, django_assert_num_queries, count
):
    plan = plan_with(assessment_2568, divisions, people.supervisor, count)
    client.force_login(people.viewer)

    url = reverse("plans:plan-detail", args=[plan.pk])

    # +2 for "did it work?": the next year's assessment and both years' indicator scores;
    # +2 for the page cache's key and what is printed around the cached table (the plan
    # with its approver and revisions in one query, the organisation's years' versions).
    with django_assert_num_queries(15):
        response = client.get(url)
    # Warm: the plan table and outcomes come from the page cache (ita.pagecache).
    with django_assert_num_queries(6):
        warm = client.get(url)

    assert len(response.context["actions"]) == count
    # Equal text (the CSRF tokens in the forms around the table are masked afresh each time).
    assert _text(warm) == _text(response)


@pytest.mark.parametrize("count", [1, 3])
def test_plan_list_query_count_does_not_grow_with_plans(
    client, people, divisions, assessment_2568, django_assert_num_queries, count
):
    for year in range(2569, 2569 + count):
        plan_with(assessment_2568, divisions, people.supervisor, 1, fiscal_year=year)
    client.force_login(people.viewer)

    with django_assert_num_queries(8):
        response = client.get(
            reverse("plans:organisation-plans", args=[assessment_2568.organisation_id])
        )

    assert len(response.context["table"].rows) == count


@pytest.mark.parametrize("count", [1, 3])
def test_my_work_query_count_does_not_grow_with_actions(
    client, people, divisions, assessment_2568, django_assert_num_queries, count
):
    plan_with(assessment_2568, divisions, people.supervisor, count)
    client.force_login(people.finance_clerk)

    # +1: the organisation's latest OIT readiness year (the page's OIT items section).
    with django_assert_num_queries(11):
        response = client.get(reverse("plans:my-work"))

    assert len(response.context["table"].rows) == count


@pytest.mark.parametrize("count", [1, 3])
def test_action_detail_query_count_does_not_grow_with_reports(
    client, people, divisions, assessment_2568, django_assert_num_queries, count
):
    plan = plan_with(assessment_2568, divisions, people.supervisor, 1)
    action = plan.actions.get()
    report_on(action, count - 1)
    client.force_login(people.finance_clerk)

    # +2 for "did it work?": the next year's assessment and both years' indicator scores.
    with django_assert_num_queries(13):
        response = client.get(reverse("plans:action-detail", args=[action.pk]))

    assert len(response.context["reports"]) == count
    assert response.context["form"] is not None


@pytest.mark.parametrize("count", [1, 3])
def test_plan_history_query_count_does_not_grow_with_actions(
    client, people, divisions, assessment_2568, django_assert_num_queries, count
):
    plan = plan_with(assessment_2568, divisions, people.supervisor, count)
    client.force_login(people.viewer)

    with django_assert_num_queries(13):
        response = client.get(reverse("plans:plan-history", args=[plan.pk]))

    assert len([e for e in response.context["entries"] if e.what == "report"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_plan_draft_and_revision_query_counts_do_not_grow(
    client, people, divisions, assessment_2568, django_assert_num_queries, count
):
    plan = plan_with(assessment_2568, divisions, people.supervisor, count)
    draft = services.plan_create(
        organisation=plan.organisation, assessment=assessment_2568, fiscal_year=2575
    )
    revision_url = reverse("plans:revision-detail", args=[plan.revisions.get().pk])
    client.force_login(people.supervisor)

    with django_assert_num_queries(14):  # 13 + the previous year's plan (none for 2575)
        drafting = client.get(reverse("plans:plan-draft", args=[draft.pk]))
    with django_assert_num_queries(5):
        revision = client.get(revision_url)

    assert len(drafting.context["rows"]) == 6
    assert len(revision.context["actions"]) == count


# --- Behaviour of the pages ------------------------------------------------------------------


def test_progress_page_refuses_a_forbidden_file_with_a_message_and_saves_nothing(
    client, people, approved_plan, settings
):
    action = approved_plan.actions.get(indicator__number=4)
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:progress-create", args=[action.pk]),
        progress_data(files=[SimpleUploadedFile("tool.exe", b"MZ\x90\x00" * 10)]),
    )

    assert response.status_code == 200
    assert "tool.exe: this type of file is not accepted" in response.content.decode()
    assert (ProgressReport.objects.count(), Evidence.objects.count()) == (0, 0)
    assert not Path(settings.PLANS_EVIDENCE_ROOT).exists()


def test_progress_page_refuses_a_file_over_the_limit_with_a_message_and_saves_nothing(
    client, people, approved_plan, settings
):
    settings.PLANS_EVIDENCE_MAX_BYTES = 50
    action = approved_plan.actions.get(indicator__number=4)
    client.force_login(people.finance_clerk)

    response = client.post(
        reverse("plans:progress-create", args=[action.pk]),
        progress_data(files=[SimpleUploadedFile("big.pdf", PDF)]),
    )

    assert "big.pdf is 0.0 MB; the limit is" in response.content.decode()
    assert (ProgressReport.objects.count(), Evidence.objects.count()) == (0, 0)
    assert not Path(settings.PLANS_EVIDENCE_ROOT).exists()


def test_progress_form_offers_cancel_only_to_supervisors(client, people, approved_plan):
    action = approved_plan.actions.get(indicator__number=6)

    client.force_login(people.finance_clerk)
    clerk_choices = client.get(action.get_absolute_url()).context["form"].fields["status"].choices
    client.force_login(people.supervisor)
    chief_choices = client.get(action.get_absolute_url()).context["form"].fields["status"].choices

    assert "cancelled" not in [value for value, _label in clerk_choices]
    assert "cancelled" in [value for value, _label in chief_choices]


def test_approved_plan_page_offers_no_edit_and_the_edit_page_refuses_to_save(
    client, people, approved_plan
):
    action = approved_plan.actions.first()
    client.force_login(people.supervisor)

    page = client.get(approved_plan.get_absolute_url()).content.decode()
    response = client.post(
        reverse("plans:action-edit", args=[action.pk]),
        {
            "indicator": action.indicator_id,
            "finding": "f",
            "measure": "แก้หลังอนุมัติ",
            "order": "1",
            "start_month_0": "10",
            "start_month_1": "2568",
            "end_month_0": "3",
            "end_month_1": "2569",
        },
    )

    assert reverse("plans:action-edit", args=[action.pk]) not in page
    assert "content is frozen" in response.content.decode()
    action.refresh_from_db()
    assert action.measure != "แก้หลังอนุมัติ"


def test_draft_page_of_an_approved_plan_sends_back_with_a_message(client, people, approved_plan):
    client.force_login(people.supervisor)

    response = client.get(reverse("plans:plan-draft", args=[approved_plan.pk]), follow=True)

    assert response.redirect_chain[-1][0] == approved_plan.get_absolute_url()
    assert "start a new revision" in response.content.decode()


def test_the_cached_approval_panel_posts_with_a_working_csrf_token(people, draft_plan):
    """The panel (approve form) is cached with the plan body; its token is filled per
    request, so the form posted from a warm page is accepted."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.supervisor)
    client.get(draft_plan.get_absolute_url())
    page = client.get(draft_plan.get_absolute_url()).content.decode()  # from the page cache
    approve = reverse("plans:plan-approve", args=[draft_plan.pk])
    form = page[page.index(f'action="{approve}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', form).group(1)

    response = client.post(approve, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Plan.objects.get(pk=draft_plan.pk).status != "draft"


def test_no_cached_page_part_holds_a_real_csrf_token(client, people, draft_plan, monkeypatch):
    """A part kept in the page cache is served to other sessions: a form in it must carry the
    slot (ita.csrfslot), never the token of the request that rendered it."""
    from ita import csrfslot, pagecache

    rendered: list[str] = []
    keep = pagecache.cached_body

    def recording(key, render):
        def render_and_record():
            parts = render()
            rendered.extend(parts.values())
            return parts

        return keep(key, render_and_record)

    monkeypatch.setattr(pagecache, "cached_body", recording)
    client.force_login(people.supervisor)
    organisation = draft_plan.organisation_id
    for url in (
        draft_plan.get_absolute_url(),
        reverse("ita:dashboard", args=[organisation]),
        reverse("ita:compare", args=[organisation]),
        reverse("documents:report", args=[organisation, 2568]),
    ):
        assert client.get(url).status_code == 200

    token = re.compile(r'name="csrfmiddlewaretoken" value="(?!\x00)')
    assert len(rendered) >= 6
    assert not [part for part in rendered if token.search(part)]
    assert any(csrfslot.SLOT in part for part in rendered)  # the approve form's slot


def test_plan_page_shows_a_renamed_approver_at_once(client, people, approved_plan):
    client.force_login(people.viewer)
    client.get(approved_plan.get_absolute_url())
    approver = approved_plan.approved_by
    approver.first_name, approver.last_name = "ประยูร", "ใจดี"
    approver.save()

    page = client.get(approved_plan.get_absolute_url()).content.decode()
    panel = page[page.index('aria-labelledby="workflow-heading"') : page.index("</section>")]

    assert "ประยูร ใจดี" in panel


def test_approve_without_divisions_explains_what_is_missing(client, people, draft_plan):
    services.action_assign(action=draft_plan.actions.last(), divisions=[])
    client.force_login(people.supervisor)

    response = client.post(reverse("plans:plan-approve", args=[draft_plan.pk]), follow=True)

    assert "indicators 10 have none" in response.content.decode()
    assert Plan.objects.get().status == "draft"


def test_plan_table_prints_the_period_in_thai_as_the_document_does(client, people, approved_plan):
    client.force_login(people.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"

    response = client.get(approved_plan.get_absolute_url())

    content = response.content.decode()
    assert "ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙" in content
    assert content.count("สำนักปลัด") >= 3


def test_evidence_is_served_by_the_checking_view_not_from_media(client, people, approved_plan):
    action = approved_plan.actions.get(indicator__number=4)
    report_on(action)
    evidence = Evidence.objects.exclude(file="").get()
    client.force_login(people.office_clerk)

    page = client.get(action.get_absolute_url()).content.decode()
    response = client.get(reverse("plans:evidence-download", args=[evidence.pk]))

    assert reverse("plans:evidence-download", args=[evidence.pk]) in page
    assert "/media/" not in page
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018


def test_my_work_without_a_division_explains_why_it_is_empty(client, people, approved_plan):
    client.force_login(people.viewer)

    response = client.get(reverse("plans:my-work"))

    assert response.context["table"] is None
    assert "not a member of a division" in response.content.decode()


def test_nav_links_point_to_the_current_organisations_plans(client, people, approved_plan):
    client.force_login(people.finance_clerk)

    content = client.get(reverse("plans:my-work")).content.decode()

    assert reverse("plans:organisation-plans", args=[approved_plan.organisation_id]) in content
    assert reverse("plans:organisation-my-work", args=[approved_plan.organisation_id]) in content


def test_a_draft_is_never_shown_overdue_but_its_approved_plan_is(
    client, people, draft_plan, time_after_period
):
    client.force_login(people.supervisor)

    draft = client.get(draft_plan.get_absolute_url()).context["actions"]
    services.plan_approve(plan=draft_plan, user=people.supervisor)
    approved = client.get(draft_plan.get_absolute_url()).context["actions"]

    assert [a.overdue for a in draft] == [0] * 5
    assert [a.overdue for a in approved] == [1] * 5


@pytest.fixture
def time_after_period(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 4, 2))


def test_draft_page_needs_a_measure_only_for_ticked_proposals(client, people, draft_plan):
    client.force_login(people.supervisor)
    url = reverse("plans:plan-draft", args=[draft_plan.pk])
    base = {"p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "1", "p-0-key": "9-o16", "p-0-finding": "f"}

    skipped = client.post(url, base | {"p-0-measure": ""})
    refused = client.post(url, base | {"p-0-accept": "on", "p-0-measure": " "})

    assert skipped["Location"] == draft_plan.get_absolute_url()
    assert refused.status_code == 200
    assert refused.context["formset"].forms[0].errors == {"measure": ["This field is required."]}
    assert not draft_plan.actions.filter(item__code="o16").exists()


def test_evidence_download_is_sandboxed(client, people, approved_plan):
    action = approved_plan.actions.get(indicator__number=4)
    report_on(action)
    evidence = Evidence.objects.exclude(file="").get()
    client.force_login(people.office_clerk)

    response = client.get(reverse("plans:evidence-download", args=[evidence.pk]))

    assert response["Content-Security-Policy"].endswith("; sandbox")


def test_plan_page_lists_approved_revisions_in_order_with_the_approvers_current_names(
    client, approved_plan, people
):
    people.supervisor.first_name, people.supervisor.last_name = "สมชาย", "ใจดี"
    people.supervisor.save()
    plan = services.plan_revise(plan=approved_plan, reason="สภาให้เพิ่มมาตรการ")
    services.plan_approve(plan=plan, user=people.administrator)
    client.force_login(people.viewer)
    url = reverse("plans:plan-detail", args=[plan.pk])
    client.get(url)

    people.administrator.first_name = "วิไล"
    people.administrator.save()
    text = _text(client.get(url))

    listed = text[text.index("Approved revisions") :]
    assert re.search(r"Revision 1 · .* · สมชาย ใจดี", listed)
    assert re.search(r"Revision 2 · .* · วิไล\s", listed)
    assert listed.index("Revision 1") < listed.index("Revision 2") < listed.index("สภาให้เพิ่ม")
    assert client.get(reverse("plans:plan-detail", args=[plan.pk + 1000])).status_code == 404
