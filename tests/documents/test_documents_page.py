"""The documents page of a year: reached from the menu, the dashboard and the plan page, its
states and links, its cost, and a crawl of the app's own links to every document file."""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from documents.enums import DocumentKind
from documents.services import stored_document_create
from ita.models import Organisation
from plans.models import PlanRevision
from tests.documents.test_pdf_text import poppler, words

ORGANISATION = "องค์การบริหารส่วนตำบลคลองหินปูน"
HREF = re.compile(r'href="([^"#]+)"')
FILE_VIEWS = {
    "report-pdf",
    "report-docx",
    "report-xlsx",
    "plan-pdf",
    "plan-docx",
    "plan-xlsx",
}
NOT_FOLLOWED = ("/admin/", "/accounts/", "/i18n/", "/static/", "/media/", "/public/")


def year_url(organisation_id: int, year: int = 2568) -> str:
    return reverse("documents:year", args=[organisation_id, year])


@pytest.mark.django_db
def test_documents_page_lists_each_kind_with_state_who_and_files(
    client, reference_plan, supervisor
):
    organisation_id = reference_plan.organisation_id
    client.force_login(supervisor)

    html = client.get(reverse("documents:latest", args=[organisation_id])).content.decode()

    text = re.sub(r"<[^>]+>", " ", html)
    assert "รายงานการวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ 2568" in text
    assert "แผนพัฒนาและปรับปรุง ปีงบประมาณ 2569 (ฉบับที่ 1)" in text
    assert "รอบ 6 เดือน" in text and "รอบ 12 เดือน" in text
    assert "อนุมัติแล้ว" in text and "ร่าง" in text
    assert "ปลัด อบต. (สาธิต)" in text  # who approved the plan
    for name, args in [
        ("documents:report-pdf", [organisation_id, 2568]),
        ("documents:report-docx", [organisation_id, 2568]),
        ("documents:report-xlsx", [organisation_id, 2568]),
        ("documents:plan-pdf", [reference_plan.pk]),
        ("documents:plan-docx", [reference_plan.pk]),
        ("documents:plan-xlsx", [reference_plan.pk]),
    ]:
        assert f'href="{reverse(name, args=args)}"' in html, name
    assert (
        f'href="{reverse("documents:followup-pdf", args=[reference_plan.pk])}?edition=mid"' in html
    )
    assert 'aria-current="page">2568<' in html


@pytest.mark.django_db
def test_documents_page_is_in_the_menu_and_linked_from_dashboard_and_plan(
    client, reference_plan, supervisor
):
    organisation_id = reference_plan.organisation_id
    client.force_login(supervisor)

    dashboard = client.get(reverse("ita:dashboard", args=[organisation_id])).content.decode()
    plan_page = client.get(reverse("plans:plan-detail", args=[reference_plan.pk])).content.decode()

    menu = reverse("documents:latest", args=[organisation_id])
    assert re.search(rf'<a href="{menu}"[^>]*>เอกสาร</a>', dashboard)
    assert f'href="{reverse("documents:report-pdf", args=[organisation_id, 2568])}"' in dashboard
    assert f'href="{reverse("documents:plan-pdf", args=[reference_plan.pk])}"' in plan_page
    assert f'href="{reverse("documents:plan", args=[reference_plan.pk])}"' in plan_page
    assert f'href="{year_url(organisation_id)}"' in plan_page


@pytest.mark.django_db
def test_documents_page_other_organisation_and_missing_year_are_404(
    client, reference, outsider, supervisor
):
    client.force_login(outsider)
    foreign = client.get(year_url(reference.organisation.pk))
    client.force_login(supervisor)
    missing = client.get(year_url(reference.organisation.pk, 2555))

    assert foreign.status_code == 404
    assert missing.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("copies", [1, 3])
def test_documents_page_query_count_does_not_grow_with_copies(
    client, reference_plan, supervisor, copies, django_assert_num_queries
):
    organisation = reference_plan.organisation
    for number in range(1, copies + 1):
        revision, _ = PlanRevision.objects.get_or_create(
            plan=reference_plan,
            number=number,
            defaults={"snapshot": {}, "approved_at": timezone.now(), "approved_by": supervisor},
        )
        stored_document_create(
            kind=DocumentKind.PLAN,
            organisation=organisation,
            fiscal_year=2568,
            content=b"%PDF-1.7\n%" + str(number).encode(),
            user=supervisor,
            plan=reference_plan,
            revision=revision,
        )
    client.force_login(supervisor)
    client.get(year_url(organisation.pk))  # warms the session and content types

    # Session, user, organisation with the membership, groups; then years, plans, signed
    # copies.
    with django_assert_num_queries(7):
        response = client.get(year_url(organisation.pk))

    assert response.content.decode().count("/signed.pdf") == copies


# --- Crawl: from the dashboard, by the app's own links only ------------------------------------


def _crawl(client, start: str) -> dict[str, bytes]:
    """Every page reachable from `start` by links; the document files among them, fetched."""
    seen: set[str] = set()
    files: dict[str, bytes] = {}
    todo = deque([start])
    while todo and len(seen) < 400:
        url = todo.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if match.namespace == "documents" and match.url_name in FILE_VIEWS:
            response = client.get(url)
            assert response.status_code == 200, url
            files[url] = response.content
            continue
        if re.search(r"\.(pdf|docx|xlsx|csv)$", urlsplit(url).path):
            continue  # other files (follow-up reports, sheets): not what this crawl is after
        response = client.get(url)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            if href.startswith("?"):  # the same page with other options (e.g. digits)
                href = urlsplit(url).path + href
            if href.startswith("/") and not href.startswith(NOT_FOLLOWED) and "logout" not in href:
                todo.append(href)
    return files


@pytest.mark.django_db
def test_crawl_from_dashboard_reaches_report_and_council_plan_in_every_format(client, settings):
    call_command("load_demo", "--no-peers", "--i-know-this-is-not-production", verbosity=0)
    organisation = Organisation.objects.get(name=ORGANISATION)
    client.force_login(get_user_model().objects.get(username="demo-executive"))

    files = _crawl(client, reverse("ita:dashboard", args=[organisation.pk]))

    by_view: dict[str, list[bytes]] = {}
    for url, content in files.items():
        by_view.setdefault(resolve(urlsplit(url).path).url_name, []).append(content)
    assert set(by_view) == FILE_VIEWS
    for name, contents in by_view.items():
        kind = name.rsplit("-", 1)[1]
        for content in contents:
            if kind == "pdf":
                assert content.startswith(b"%PDF"), name
            else:
                part = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
                assert part in zipfile.ZipFile(io.BytesIO(content)).namelist(), name
    report_texts = [words(poppler("pdftotext", pdf)) for pdf in by_view["report-pdf"]]
    plan_texts = [words(poppler("pdftotext", pdf)) for pdf in by_view["plan-pdf"]]
    assert all(ORGANISATION in text for text in report_texts + plan_texts)
    assert any("94.39" in text for text in report_texts)  # the Arabic-digit print
    assert any("กองคลัง" in text for text in plan_texts)
    for pdf in by_view["report-pdf"] + by_view["plan-pdf"]:
        fonts = poppler("pdffonts", pdf).splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
