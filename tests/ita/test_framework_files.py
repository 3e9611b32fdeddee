"""The shipped 2569 framework, framework files in the admin, and the provisional notice."""

from __future__ import annotations

import base64
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse

from ita.frameworks.files import read_xlsx, write_xlsx
from ita.models import Framework, Item, Tool
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from ita.services.framework_import import framework_spec
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_framework_2569_ships_provisional_with_26_items_and_their_roles():
    framework = Framework.objects.get(fiscal_year=2569)
    items = {i.code: i for i in Item.objects.filter(indicator__framework=framework)}

    assert framework.is_provisional and framework.source_note
    assert len(items) == 26
    assert (items["o25"].document_role, items["o26"].document_role) == (
        "improvement_measures",
        "measures_report",
    )
    assert (items["o12"].data_year, items["o13"].data_year) == ("last_year", "this_year")
    assert [c for c, i in items.items() if not i.title_known] == ["o2", "o6", "o7"]
    assert sorted(framework.tools.values_list("code", "weight")) == [
        ("EIT", Decimal("30.00")),
        ("IIT", Decimal("30.00")),
        ("OIT", Decimal("40.00")),
    ]


def test_framework_statuses_of_shipped_years_and_2568_document_role():
    statuses = dict(Framework.objects.values_list("fiscal_year", "status"))

    assert statuses[2568] == "confirmed" and statuses[2566] == "provisional"
    role = Item.objects.get(indicator__framework__fiscal_year=2568, code="o27").document_role
    assert role == "improvement_measures"


def _upload(admin_client, data: bytes, name: str = "f.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:ita_framework_import_file")
    return admin_client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_admin_export_imports_back_identically(admin_client):
    framework = Framework.objects.get(fiscal_year=2569)
    before = framework_spec(framework)

    exported = admin_client.get(reverse("admin:ita_framework_export_file", args=[framework.pk]))
    preview = _upload(admin_client, exported.content)

    assert read_xlsx(exported.content) == before
    assert "ไฟล์ตรงกับที่บันทึกไว้ทุกประการ" in preview.content.decode()


def test_admin_import_previews_the_diff_then_confirm_writes_it(admin_client):
    framework = Framework.objects.get(fiscal_year=2569)
    spec = framework_spec(framework)
    changed = replace(
        spec,
        items=tuple(
            replace(i, title="ข้อมูลผู้บริหาร", title_known=True) if i.code == "o2" else i
            for i in spec.items
        ),
    )
    data = write_xlsx(changed)

    preview = _upload(admin_client, data)
    title = Item.objects.get(indicator__framework=framework, code="o2").title
    page = preview.content.decode()
    confirmed = admin_client.post(
        reverse("admin:ita_framework_import_file"),
        {"content": base64.b64encode(data).decode()},
    )

    assert 'data-testid="framework-diff"' in page and "ข้อมูลผู้บริหาร" in page
    assert title.startswith("(ไม่ทราบชื่อ")  # nothing written by the preview
    assert confirmed.url == reverse("admin:ita_framework_change", args=[framework.pk])
    assert Item.objects.get(indicator__framework=framework, code="o2").title == "ข้อมูลผู้บริหาร"


def test_admin_import_refuses_a_bad_file_and_writes_nothing(admin_client):
    spec = framework_spec(Framework.objects.get(fiscal_year=2569))
    bad = replace(spec, tools=tuple(replace(t, weight=Decimal("50")) for t in spec.tools))

    response = _upload(admin_client, write_xlsx(bad))

    assert "not 100" in response.content.decode()
    assert "น้ำหนักรวม" in response.content.decode()
    assert set(
        Tool.objects.filter(framework__fiscal_year=2569).values_list("weight", flat=True)
    ) == {Decimal("30.00"), Decimal("40.00")}


def test_admin_import_refuses_a_confirmed_framework_unless_allowed(admin_client):
    framework = Framework.objects.get(fiscal_year=2568)
    spec = framework_spec(framework)
    data = write_xlsx(replace(spec, framework=replace(spec.framework, name="ใหม่")))

    refused = admin_client.post(
        reverse("admin:ita_framework_import_file"), {"content": base64.b64encode(data).decode()}
    )
    framework.refresh_from_db()
    name_after_refusal = framework.name
    admin_client.post(
        reverse("admin:ita_framework_import_file"),
        {"content": base64.b64encode(data).decode(), "allow_replace": "on"},
    )
    framework.refresh_from_db()

    assert "confirmed" in refused.content.decode() and name_after_refusal != "ใหม่"
    assert framework.name == "ใหม่"


def test_admin_change_page_warns_of_a_provisional_framework(admin_client):
    provisional = Framework.objects.get(fiscal_year=2569)
    confirmed = Framework.objects.get(fiscal_year=2568)

    warned = admin_client.get(reverse("admin:ita_framework_change", args=[provisional.pk]))
    quiet = admin_client.get(reverse("admin:ita_framework_change", args=[confirmed.pk]))

    assert 'data-testid="provisional-warning"' in warned.content.decode()
    assert 'data-testid="provisional-warning"' not in quiet.content.decode()


@pytest.mark.parametrize(("year", "shown"), [(2569, True), (2568, False)])
def test_dashboard_notice_only_for_a_provisional_year(admin_client, year, shown):
    organisation = OrganisationFactory()
    results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=year),
        agency_type=organisation.agency_type,
        results=ResultSet(indicators={1: IndicatorValue(Decimal("90.00"))}),
    )

    page = admin_client.get(reverse("ita:dashboard", args=[organisation.pk])).content.decode()
    compare = admin_client.get(reverse("ita:compare", args=[organisation.pk])).content.decode()

    assert ('data-testid="provisional-notice"' in page) is shown
    assert ('data-testid="provisional-notice"' in compare) is shown
