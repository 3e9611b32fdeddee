from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from ita.models import IndicatorResult
from plans.roles import Role
from tests.documents.conftest import organisation_with_years, plan_with_actions, user_with_role

pytestmark = pytest.mark.django_db


def report_url(name: str, assessment, year: int = 2568) -> str:
    return reverse(f"documents:{name}", args=[assessment.organisation_id, year])


@pytest.mark.parametrize(
    ("name", "content_type", "magic"),
    [
        ("report-pdf", "application/pdf", b"%PDF-"),
        ("report-docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         b"PK\x03\x04"),
        ("report-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         b"PK\x03\x04"),
    ],
)  # fmt: skip
def test_report_download_for_a_member(client, reference, staff_user, name, content_type, magic):
    client.force_login(staff_user)

    response = client.get(report_url(name, reference), {"digits": "arabic"})

    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''ITA-2568-")
    assert disposition.endswith("." + name.split("-")[1])


def test_report_download_is_not_found_for_another_organisations_user(client, reference, outsider):
    client.force_login(outsider)

    response = client.get(report_url("report-pdf", reference))

    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")


def test_report_download_sends_anonymous_users_to_login(client, reference):
    url = report_url("report-docx", reference)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert url in response["Location"]


def test_report_page_shows_the_document_with_download_links(client, reference, supervisor):
    client.force_login(supervisor)

    response = client.get(report_url("report", reference))

    page = response.content.decode()
    assert "๙๔.๓๙" in page and "๙๘.๐๗" in page
    assert f"{report_url('report-pdf', reference)}?digits=thai" in page
    assert report_url("narratives-edit", reference) in page  # a supervisor may edit
    assert "กองคลัง" in page


def test_report_page_with_arabic_digits_hides_the_edit_link_from_staff(
    client, reference, staff_user
):
    client.force_login(staff_user)

    response = client.get(report_url("report", reference), {"digits": "arabic"})

    page = response.content.decode()
    assert "94.39" in page and "๙๔.๓๙" not in page
    assert report_url("narratives-edit", reference) not in page


def test_report_page_edit_link_follows_the_viewer_though_the_toolbar_is_cached(
    client, reference, supervisor, staff_user
):
    """The toolbar is cached with the body; who may edit is part of its key."""
    edit = report_url("narratives-edit", reference)
    client.force_login(supervisor)
    for_supervisor = [client.get(report_url("report", reference)).content.decode() for _ in "ab"]
    client.force_login(staff_user)
    for_staff = client.get(report_url("report", reference)).content.decode()

    assert all(edit in page for page in for_supervisor)
    assert edit not in for_staff


@pytest.mark.parametrize("years", [[2568], [2566, 2567, 2568]])
def test_report_page_query_count_does_not_grow(client, years, django_assert_num_queries):
    organisation = organisation_with_years(years)
    plan_with_actions(organisation, len(years))
    user = user_with_role(organisation, Role.VIEWER, "viewer")
    client.force_login(user)
    url = reverse("documents:report", args=[organisation.pk, 2568])
    client.get(url)  # the first visit remembers the organisation in the session
    caches["figures"].clear()

    # Cold (caches empty): 17 (16, the membership read with the organisation, + whether the
    # year's report is signed) and 3 for the page cache's key: the assessments, the plans
    # token, the standard measures.
    with django_assert_num_queries(20):
        response = client.get(url)
    # Warm: the body comes from the page cache (ita.pagecache).
    with django_assert_num_queries(8):
        warm = client.get(url)

    assert response.context["report"].fiscal_year == 2568
    # The same text (the logout form's CSRF token is masked afresh on each page).
    assert _text(warm) == _text(response)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize("count", [1, 3])
def test_plan_page_query_count_does_not_grow(client, count, django_assert_num_queries):
    organisation = organisation_with_years([2568])
    plan = plan_with_actions(organisation, count)
    client.force_login(user_with_role(organisation, Role.VIEWER, "viewer"))
    url = reverse("documents:plan", args=[plan.pk])
    client.get(url)

    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(response.context["plan"].rows) == count


def test_plan_pdf_download_for_a_member(client, reference_plan, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("documents:plan-pdf", args=[reference_plan.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "ITA-plan-2569-" in response["Content-Disposition"]


def test_plan_download_is_not_found_for_another_organisations_user(
    client, reference_plan, outsider
):
    client.force_login(outsider)

    for name in ("plan", "plan-pdf", "plan-docx", "plan-xlsx"):
        response = client.get(reverse(f"documents:{name}", args=[reference_plan.pk]))
        assert response.status_code == 404


def test_narratives_edit_starts_from_the_draft_when_nothing_is_saved(client, reference, supervisor):
    IndicatorResult.objects.filter(assessment=reference, indicator__number=4).update(analysis="")
    client.force_login(supervisor)

    response = client.get(report_url("narratives-edit", reference))

    form = response.context["form"]
    assert form["analysis_4"].initial.startswith(
        "องค์การบริหารส่วนตำบลคลองหินปูน มีผลคะแนนในตัวชี้วัดการใช้ทรัพย์สินของราชการ อยู่ที่ ๙๔.๓๘"
    )
    assert form["analysis_1"].initial.startswith(
        "องค์การบริหารส่วนตำบลคลองหินปูน มีผลคะแนนในตัวชี้วัดด้านการปฏิบัติหน้าที่"
    )


def test_narratives_edit_saves_the_text_that_the_report_prints(client, reference, supervisor):
    client.force_login(supervisor)
    data = {
        f"analysis_{r.indicator.number}": r.analysis
        for r in reference.indicator_results.select_related("indicator")
    }
    data["analysis_7"] = "ข้อความที่เจ้าหน้าที่แก้ไข ๙๐.๕๕"

    response = client.post(report_url("narratives-edit", reference), data)

    assert response["Location"] == report_url("report", reference)
    saved = IndicatorResult.objects.get(assessment=reference, indicator__number=7)
    assert saved.analysis == "ข้อความที่เจ้าหน้าที่แก้ไข ๙๐.๕๕"
    assert saved.history.count() == 2  # created by the demo, then this edit
    with translation.override("en"):
        page = client.get(report_url("report", reference), {"digits": "arabic"})
    assert "ข้อความที่เจ้าหน้าที่แก้ไข 90.55" in page.content.decode()


def test_narratives_edit_is_refused_to_division_staff(client, reference, staff_user):
    client.force_login(staff_user)
    before = IndicatorResult.objects.get(assessment=reference, indicator__number=7).analysis

    response = client.post(report_url("narratives-edit", reference), {"analysis_7": "x"})

    assert response.status_code == 403
    after = IndicatorResult.objects.get(assessment=reference, indicator__number=7).analysis
    assert after == before
