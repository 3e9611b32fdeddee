from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from documents.enums import DocumentKind
from documents.services import stored_document_create
from public.models import PublicPage, PublishedYear
from tests.factories import DivisionFactory, MembershipFactory, UserFactory, khlong_hin_pun_2568
from tests.plans.test_views import plan_with


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def published(framework_2568):
    assessment = khlong_hin_pun_2568()
    division = DivisionFactory(organisation=assessment.organisation, name="กองคลัง")
    supervisor = UserFactory(username="supervisor_somchai", email="somchai@example.go.th")
    plan = plan_with(assessment, {"กองคลัง": division}, supervisor, 3)
    page = PublicPage.objects.create(
        organisation=assessment.organisation, slug="khlong-hin-pun", is_enabled=True
    )
    PublishedYear.objects.create(page=page, fiscal_year=2568)
    return page, plan


def stored_copy(organisation, year: int, content: bytes = b"%PDF-1.7\n%signed\n"):
    return stored_document_create(
        kind=DocumentKind.REPORT,
        organisation=organisation,
        fiscal_year=year,
        content=content,
        user=None,
    )


def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_public_page_shows_results_and_plan_in_thai(published):
    _page, _plan = published
    html = anonymous().get("/public/khlong-hin-pun/").content.decode()
    assert '<html lang="th">' in html
    assert html.count("<h1") == 1
    assert "ผลการประเมิน ITA ปีงบประมาณ 2568" in html
    assert "กองคลัง" in html
    assert "10%" in html
    assert "เอกสารที่ลงนามแล้ว" in html
    # The print rules live in the linked stylesheet (tests/public/test_public_css.py).
    for tag in ("<header>", '<main id="main">', "<footer>", "/static/public/public"):
        assert tag in html


@pytest.mark.django_db
def test_public_page_og_tags_name_organisation_and_score(published):
    page, _plan = published
    html = anonymous().get("/public/khlong-hin-pun/2568/").content.decode()
    title = re.search(r'<meta property="og:title" content="([^"]*)"', html).group(1)
    assert page.organisation.name in title
    assert page.organisation.assessments.get().published_level in title
    assert 'property="og:description"' in html
    assert 'content="http://testserver/public/khlong-hin-pun/2568/"' in html


@pytest.mark.django_db
def test_public_page_sets_no_cookie_and_is_publicly_cacheable(published):
    response = anonymous().get("/public/khlong-hin-pun/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "public" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_public_page_refuses_post(published):
    # Without a token the CSRF check refuses it first (403); with one, the page still does.
    assert anonymous().post("/public/khlong-hin-pun/").status_code == 403
    assert Client().post("/public/khlong-hin-pun/").status_code == 405


@pytest.mark.django_db
def test_public_page_hides_switched_off_page_and_unpublished_year(published):
    page, _plan = published
    assert anonymous().get("/public/khlong-hin-pun/2569/").status_code == 404
    page.is_enabled = False
    page.save()
    assert anonymous().get("/public/khlong-hin-pun/").status_code == 404
    assert anonymous().get("/public/khlong-hin-pun/2568/").status_code == 404


@pytest.mark.django_db
def test_public_page_hides_draft_plan(published):
    _page, plan = published
    plan.status = "draft"
    plan.save()
    html = anonymous().get("/public/khlong-hin-pun/").content.decode()
    assert "กองคลัง" not in html
    assert "ยังไม่มีแผนที่อนุมัติแล้ว" in html


@pytest.mark.django_db
def test_public_page_cache_follows_the_data(published, django_assert_num_queries):
    _page, plan = published
    anonymous().get("/public/khlong-hin-pun/")
    action = plan.actions.first()
    action.measure = "มาตรการใหม่ที่แก้ไขแล้ว"
    action.save()
    assert "มาตรการใหม่ที่แก้ไขแล้ว" in anonymous().get("/public/khlong-hin-pun/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("actions", [1, 3])
def test_public_page_query_count_pinned(framework_2568, actions, django_assert_num_queries):
    assessment = khlong_hin_pun_2568()
    division = DivisionFactory(organisation=assessment.organisation, name="กองคลัง")
    plan_with(assessment, {"กองคลัง": division}, UserFactory(), actions)
    page = PublicPage.objects.create(
        organisation=assessment.organisation, slug="khlong-hin-pun", is_enabled=True
    )
    PublishedYear.objects.create(page=page, fiscal_year=2568)
    client = anonymous()
    with django_assert_num_queries(17):  # + the signed copies' stamp and their list
        client.get("/public/khlong-hin-pun/")
    with django_assert_num_queries(10):  # + the signed copies' stamp
        client.get("/public/khlong-hin-pun/")


@pytest.mark.django_db
def test_public_sweep_reaches_nothing_private(published):
    """Follow every link of the public pages anonymously: only public pages answer."""
    page, plan = published
    signed = stored_copy(page.organisation, 2568)
    unpublished = stored_copy(page.organisation, 2567)
    other = DivisionFactory().organisation
    other_page = PublicPage.objects.create(organisation=other, slug="other-page", is_enabled=True)
    PublishedYear.objects.create(page=other_page, fiscal_year=2567)
    foreign = stored_copy(other, 2568)
    client = anonymous()
    seen: set[str] = set()
    todo = ["/public/khlong-hin-pun/"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        if response["Content-Type"] == "application/pdf":
            assert response.content.startswith(b"%PDF"), url
            continue
        html = response.content.decode()
        assert "supervisor_somchai" not in html and "@example.go.th" not in html
        assert "/media/" not in html and "evidence" not in html.lower()
        for href in re.findall(r'href="([^"]+)"', html):
            if href.startswith(("#", "/static/public/")):
                continue  # the skip link and the page's own stylesheet
            assert href.startswith("/public/khlong-hin-pun/"), href
            todo.append(href)
    signed_url = f"/public/khlong-hin-pun/2568/documents/{signed.pk}.pdf"
    assert seen == {"/public/khlong-hin-pun/", "/public/khlong-hin-pun/2568/", signed_url}
    for private in (
        reverse("plans:plan-detail", args=[plan.pk]),
        reverse("plans:action-detail", args=[plan.actions.first().pk]),
        "/admin/",
        # A signed copy of an unpublished year, by its public or its members' address, and
        # a published copy under another year or another organisation's address.
        f"/public/khlong-hin-pun/2567/documents/{unpublished.pk}.pdf",
        f"/public/khlong-hin-pun/2568/documents/{unpublished.pk}.pdf",
        f"/public/khlong-hin-pun/2567/documents/{signed.pk}.pdf",
        f"/public/other-page/2568/documents/{signed.pk}.pdf",
        f"/public/other-page/2568/documents/{foreign.pk}.pdf",
        f"/public/khlong-hin-pun/2568/documents/{foreign.pk}.pdf",
        reverse("documents:stored-file", args=[unpublished.pk]),
        reverse("documents:stored-file", args=[signed.pk]),
    ):
        assert client.get(private).status_code != 200, private


@pytest.mark.django_db
def test_public_page_slug_refuses_bad_and_duplicate_address(published):
    _page, _plan = published
    other = DivisionFactory().organisation
    with pytest.raises(ValidationError) as bad:
        PublicPage(organisation=other, slug="ไม่ใช่ slug").full_clean()
    assert "a-z" in str(bad.value)
    with pytest.raises(ValidationError) as taken:
        PublicPage(organisation=other, slug="khlong-hin-pun").full_clean()
    assert "already used" in str(taken.value)


@pytest.mark.django_db
def test_public_page_dashboard_links_members_to_it(published, client):
    page, _plan = published
    member = MembershipFactory(organisation=page.organisation).user
    client.force_login(member)
    html = client.get(reverse("ita:dashboard", args=[page.organisation.pk])).content.decode()
    assert 'href="/public/khlong-hin-pun/"' in html
    assert "หน้าเผยแพร่สาธารณะ" in html


@pytest.mark.django_db
def test_public_page_prints_measure_periods_in_buddhist_era_months(published):
    _page, plan = published
    action = plan.actions.first()
    action.start_month = datetime.date(2025, 10, 1)
    action.end_month = datetime.date(2026, 3, 1)
    action.save()

    html = anonymous().get("/public/khlong-hin-pun/").content.decode()

    assert "ตุลาคม 2568 – มีนาคม 2569" in html
    assert "2025" not in html


@pytest.mark.django_db
def test_public_year_page_lists_signed_copies_with_date_and_sha256(published):
    page, _plan = published
    content = b"%PDF-1.7\n%the signed analysis\n"
    signed = stored_copy(page.organisation, 2568, content)
    stored_copy(page.organisation, 2567)  # not published: not listed

    html = anonymous().get("/public/khlong-hin-pun/2568/").content.decode()
    download = anonymous().get(f"/public/khlong-hin-pun/2568/documents/{signed.pk}.pdf")

    assert signed.sha256 in html
    assert html.count("/documents/") == 1
    assert "รายงานการวิเคราะห์ผลการประเมิน" in html
    assert "ลงนามเมื่อ" in html
    assert download.content == content
    assert download["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert "Set-Cookie" not in download.headers and not download.cookies
    assert "public" in download["Cache-Control"]


@pytest.mark.django_db
def test_public_page_shows_a_new_signed_copy_at_once(published):
    page, _plan = published
    before = anonymous().get("/public/khlong-hin-pun/").content.decode()

    signed = stored_copy(page.organisation, 2568)
    after = anonymous().get("/public/khlong-hin-pun/").content.decode()

    assert signed.sha256 not in before
    assert signed.sha256 in after
