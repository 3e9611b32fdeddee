from __future__ import annotations

from datetime import UTC, datetime

from django.core import mail
from django.urls import reverse

from plans.models import Action, MeasureTemplate, Plan

from .conftest import build_plan


def test_admin_lists_only_the_users_organisations_plans(client, people, approved_plan, divisions):
    from ita.models import Assessment, Framework

    other_org = people.outsider.memberships.get().organisation
    other = Assessment.objects.create(
        organisation=other_org, framework=Framework.objects.get(fiscal_year=2568), agency_type="sao"
    )
    Plan.objects.create(organisation=other_org, assessment=other, fiscal_year=2569)
    client.force_login(people.supervisor)

    response = client.get(reverse("admin:plans_plan_changelist"))

    assert [p.organisation for p in response.context["cl"].result_list] == [
        approved_plan.organisation
    ]


def test_admin_shows_an_approved_plans_action_read_only_and_refuses_a_change(
    client, people, approved_plan
):
    action = approved_plan.actions.first()
    url = reverse("admin:plans_action_change", args=[action.pk])
    client.force_login(people.supervisor)

    page = client.get(url)
    response = client.post(url, {"measure": "แก้ในแอดมิน"})

    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).measure != "แก้ในแอดมิน"


def test_admin_add_action_goes_through_the_services_and_mails_the_division(
    client, people, assessment_2568, divisions, django_capture_on_commit_callbacks
):
    plan = build_plan(assessment_2568, divisions, fiscal_year=2570)
    indicator = plan.assessment.framework.indicators.get(number=5)
    client.force_login(people.supervisor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:plans_action_add"),
            {
                "plan": plan.pk,
                "order": "",
                "indicator": indicator.pk,
                "finding": "คะแนน ๙๗.๐๒",
                "measure": "กิจกรรม No Gift Policy",
                "steps": "",
                "start_month": "2026-10-01",
                "end_month": "2027-03-01",
                "divisions": [divisions["กองคลัง"].pk],
            },
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    action = plan.actions.get(indicator=indicator)
    assert action.order == 6
    assert [d.name for d in action.divisions.all()] == ["กองคลัง"]
    assert [m.to for m in mail.outbox] == [["finance@example.org"]]


def test_admin_is_closed_to_division_staff_and_read_only_for_a_staff_viewer(
    client, people, approved_plan
):
    people.viewer.is_staff = True
    people.viewer.save()

    client.force_login(people.finance_clerk)
    clerk = client.get(reverse("admin:plans_plan_changelist"))
    client.force_login(people.viewer)
    viewer = client.get(reverse("admin:plans_plan_change", args=[approved_plan.pk]))

    assert clerk.status_code == 302 and "/admin/login/" in clerk["Location"]
    assert viewer.context["has_change_permission"] is False
    assert viewer.context["has_delete_permission"] is False


def test_admin_plan_history_lists_the_approval(client, people, approved_plan):
    client.force_login(people.administrator)

    response = client.get(reverse("admin:plans_plan_history", args=[approved_plan.pk]))

    records = list(response.context["page_obj"].object_list)
    assert [r.status for r in records][:2] == ["approved", "draft"]
    assert records[0].history_user == people.supervisor


def test_standard_measures_are_seeded_for_the_ten_indicators(db):
    numbers = MeasureTemplate.objects.filter(family="ita-10").values_list(
        "indicator_number", flat=True
    )

    assert sorted(numbers) == list(range(1, 11))
    assert MeasureTemplate.objects.get(indicator_number=4).measure.startswith("จัดทำคู่มือ")


def test_admin_add_plan_goes_through_the_service(client, people, assessment_2568):
    client.force_login(people.supervisor)

    response = client.post(
        reverse("admin:plans_plan_add"),
        {
            "organisation": assessment_2568.organisation_id,
            "assessment": assessment_2568.pk,
            "fiscal_year": "2569",
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )

    plan = Plan.objects.get()
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (plan.fiscal_year, plan.created_by, plan.status) == (2569, people.supervisor, "draft")


def test_admin_division_form_offers_only_the_supervisors_organisation(client, people, organisation):
    client.force_login(people.supervisor)

    form = client.get(reverse("admin:ita_division_add")).context["adminform"].form

    assert list(form.fields["organisation"].queryset) == [organisation]


def test_admin_plan_filters_name_no_other_organisation(client, people, approved_plan):
    client.force_login(people.supervisor)

    page = client.get(reverse("admin:plans_plan_changelist")).content.decode()

    assert approved_plan.organisation.name in page
    assert "เทศบาลตำบลอื่น" not in page


def test_admin_standard_measures_are_changed_only_by_administrators(client, people):
    template = MeasureTemplate.objects.first()
    url = reverse("admin:plans_measuretemplate_change", args=[template.pk])

    client.force_login(people.supervisor)
    as_supervisor = client.get(url)
    client.force_login(people.administrator)
    as_administrator = client.get(url)

    assert as_supervisor.context["has_change_permission"] is False
    assert as_administrator.context["has_change_permission"] is True


def test_admin_cannot_delete_progress_reports_behind_the_services(admin_client, approved_plan):
    from plans.models import ProgressReport

    from .test_views import report_on

    report_on(approved_plan.actions.first())
    report = ProgressReport.objects.get()

    response = admin_client.post(
        reverse("admin:plans_progressreport_delete", args=[report.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ProgressReport.objects.filter(pk=report.pk).exists()


def test_admin_revision_page_shows_the_approved_plan_as_a_thai_table(
    admin_client, approved_plan, settings
):
    settings.LANGUAGE_CODE = "th"
    revision = approved_plan.revisions.get()
    action = revision.snapshot["actions"][0]

    response = admin_client.get(reverse("admin:plans_planrevision_change", args=[revision.pk]))

    content = response.content.decode()
    assert "all_divisions" not in content and "indicator_name" not in content
    assert '<table class="plans-table plans-document">' in content
    assert f"{action['indicator']}. {action['indicator_name']}" in content
    assert action["measure"] in content and action["divisions"][0] in content
    assert "ผลการประเมินปี 2568 ฉบับปรับปรุงครั้งที่ 1" in content
    assert reverse("plans:revision-detail", args=[revision.pk]) in content


def test_admin_prints_dates_in_the_buddhist_era_in_lists_and_read_only_fields(
    admin_client, approved_plan
):
    # 23:30 UTC is 06:30 the next morning in Bangkok.
    Plan.objects.filter(pk=approved_plan.pk).update(
        approved_at=datetime(2026, 1, 10, 23, 30, tzinfo=UTC)
    )

    listing = admin_client.get(reverse("admin:plans_plan_changelist")).content.decode()
    page = admin_client.get(
        reverse("admin:plans_plan_change", args=[approved_plan.pk])
    ).content.decode()

    for html in (listing, page):
        assert "11 มกราคม 2569 06:30" in html
        assert "2026" not in html.split("<body", 1)[1].split("</footer", 1)[0]
