"""The printable OIT checklist: every item of the year in the PDF (read back with pdftotext)
and in the XLSX, Thai digits and Buddhist-era dates, reached from the board."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from ita.models import Division, Item
from ita.thai import thai_digits
from plans.readiness import services
from plans.roles import Role
from tests.documents.conftest import user_with_role
from tests.documents.test_pdf_text import poppler, words
from tests.factories import OrganisationFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="องค์การบริหารส่วนตำบลคลองหินปูน")


@pytest.fixture
def year(organisation):
    year = services.readiness_open(
        organisation=organisation, fiscal_year=2569, default_due_date=date(2026, 3, 1), user=None
    )
    finance = Division.objects.create(organisation=organisation, name="กองคลัง", order=1)
    year.items.filter(item__code="o4").update(
        division=finance, status="checked", evidence_url="https://khlonghinpun.go.th/oit/o4"
    )
    return year


def _codes():
    items = Item.objects.filter(indicator__framework__fiscal_year=2569).order_by("order", "code")
    return list(items.values_list("code", flat=True))


def test_checklist_pdf_lists_every_item_of_the_year(client, organisation, year):
    client.force_login(user_with_role(organisation, Role.VIEWER, "viewer"))

    response = client.get(reverse("documents:checklist-pdf", args=[organisation.pk, 2569]))

    assert response["Content-Type"] == "application/pdf"
    text = words(poppler("pdftotext", response.content, "-layout"))
    codes = _codes()
    assert len(codes) == 26
    for code in codes:
        assert thai_digits(code) in text, code
    assert "รายการตรวจสอบหลักฐาน OIT ปีที่ประเมิน ๒๕๖๙" in text
    assert "๑ มีนาคม ๒๕๖๙" in text  # the default due date, B.E. in Thai digits
    assert "กองคลัง" in text
    assert "https://khlonghinpun.go.th/oit/o" in text
    fonts = poppler("pdffonts", response.content)
    assert "Sarabun" in fonts


def test_checklist_pdf_in_arabic_digits_on_request(client, organisation, year):
    client.force_login(user_with_role(organisation, Role.VIEWER, "viewer"))

    response = client.get(
        reverse("documents:checklist-pdf", args=[organisation.pk, 2569]), {"digits": "arabic"}
    )

    text = words(poppler("pdftotext", response.content, "-layout"))
    assert "1 มีนาคม 2569" in text


def test_checklist_xlsx_has_one_row_per_item(client, organisation, year):
    from openpyxl import load_workbook

    client.force_login(user_with_role(organisation, Role.VIEWER, "viewer"))

    response = client.get(reverse("documents:checklist-xlsx", args=[organisation.pk, 2569]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == _codes()
    o4 = next(row for row in rows if row[0] == "o4")
    assert o4[3] == "กองคลัง"
    assert o4[4] == "1 มีนาคม 2569"
    assert o4[6] == "ตรวจแล้ว"
    assert o4[7] == "https://khlonghinpun.go.th/oit/o4"


def test_checklist_of_a_year_without_a_board_is_not_found(client, organisation, year):
    client.force_login(user_with_role(organisation, Role.VIEWER, "viewer"))

    response = client.get(reverse("documents:checklist-pdf", args=[organisation.pk, 2568]))

    assert response.status_code == 404


def test_checklist_of_another_organisation_is_not_found(client, year):
    outsider = user_with_role(OrganisationFactory(), Role.SUPERVISOR, "outsider")
    client.force_login(outsider)

    response = client.get(reverse("documents:checklist-xlsx", args=[year.organisation_id, 2569]))

    assert response.status_code == 404


def test_checklist_links_are_on_the_board(client, organisation, year):
    client.force_login(user_with_role(organisation, Role.SUPERVISOR, "chief"))

    board = client.get(reverse("plans:readiness-board", args=[organisation.pk, 2569]))

    content = board.content.decode()
    assert reverse("documents:checklist-pdf", args=[organisation.pk, 2569]) in content
    assert reverse("documents:checklist-xlsx", args=[organisation.pk, 2569]) in content
