"""Real-world spellings through every door (service, command, admin preview and confirm):
each file is accepted with exactly the published values, and none creates a second
organisation for one already stored under another spelling."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from ita.models import Assessment, Organisation
from ita.services.results_import import parse_tables, results_import
from ita.sheets import read_sheet_file
from ita.sheets.export import assessment_sheet, assessments_for_export
from tests.badinput.accepted import ACCEPTED, Accepted
from tests.badinput.corpus import confirm_data
from tests.ita.sheet_data import KHP_NAME, khp_results

pytestmark = pytest.mark.django_db
IDS = [c.id for c in ACCEPTED]


@pytest.fixture(autouse=True)
def plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def khp() -> Organisation:
    return Organisation.objects.create(
        name=KHP_NAME, province="สระแก้ว", district="วังน้ำเย็น", agency_type="sao"
    )


def stored_results():
    assessment = assessments_for_export().get()
    return assessment.organisation, assessment_sheet(assessment)[1]


def assert_saved_as_published(khp: Organisation) -> None:
    organisation, results = stored_results()
    assert Organisation.objects.count() == 1
    assert organisation == khp
    assert results == khp_results()


@pytest.mark.parametrize("case", ACCEPTED, ids=IDS)
def test_accepted_file_saves_the_published_values_through_the_service(case: Accepted, khp):
    tables = read_sheet_file(case.name, case.build())

    outcomes = results_import(sheets=parse_tables(tables))

    assert [o.match.existing for o in outcomes] == [khp]
    assert_saved_as_published(khp)


@pytest.mark.parametrize("case", ACCEPTED, ids=IDS)
def test_accepted_file_saves_the_published_values_through_the_command(
    case: Accepted, khp, tmp_path
):
    path = tmp_path / case.name
    path.write_bytes(case.build())

    call_command("import_results", str(path), stdout=None)

    assert_saved_as_published(khp)


def _admin_preview(client, case: Accepted):
    client.cookies["django_language"] = "en"
    file_format = "0" if case.name.endswith(".xlsx") else "1"
    return client.post(
        reverse("admin:ita_assessment_import"),
        {"format": file_format, "import_file": SimpleUploadedFile(case.name, case.build())},
    )


@pytest.mark.parametrize("case", ACCEPTED, ids=IDS)
def test_accepted_file_preview_says_what_it_matches_and_confirm_saves_it(
    admin_client, case: Accepted, khp
):
    preview = _admin_preview(admin_client, case)
    content = preview.content.decode()
    assert Assessment.objects.count() == 0  # the preview wrote nothing

    admin_client.post(reverse("admin:ita_assessment_process_import"), confirm_data(preview))

    assert f"matches {KHP_NAME} (สระแก้ว)" in content
    assert 'name="create_organisation"' not in content
    assert "ita-import-changes" in content and "computed" in content
    assert case.source in content
    assert_saved_as_published(khp)


def test_accepted_csv_sources_are_reported_as_read(khp):
    reported = {
        case.id: read_sheet_file(case.name, case.build())[0].encoding
        for case in ACCEPTED
        if case.name.endswith(".csv")
    }

    assert reported["english-csv"] == "utf-8-sig"
    assert reported["utf8-without-bom"] == "utf-8"
    assert reported["cp874-csv"] == "cp874"
    assert reported["everything-at-once-cp874"] == "cp874"


def test_corpus_holds_at_least_forty_files():
    from tests.badinput.corpus import CASES

    assert len(ACCEPTED) + len(CASES) >= 40
    assert len({c.id for c in ACCEPTED} | {c.id for c in CASES}) == len(ACCEPTED) + len(CASES)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_thai_blank_template_filled_in_is_accepted(admin_client, khp, file_format):
    template = admin_client.get(
        reverse("admin:ita_assessment_sheet_template"),
        {"fiscal_year": 2568, "file_format": file_format},
    )
    table = read_sheet_file(f"t.{file_format}", template.content)[0]
    headers = table.headers
    filled = []
    for row in table.rows:
        cells = dict(zip(headers, row, strict=True))
        if cells["ประเภท"] == "หน่วยงาน":
            cells["ข้อความ"] = "อบต.คลองหินปูน"
        elif cells["ประเภท"] == "จังหวัด":
            cells["ข้อความ"] = "สระแก้ว"
        elif cells["ประเภท"] == "ประเภทหน่วยงาน":
            cells["ข้อความ"] = "อบต."
        elif cells["ประเภท"] == "ตัวชี้วัด" and str(cells["รหัส"]) == "1":
            cells["คะแนน"] = "๙๘.๐๗"
        elif cells["ประเภท"] == "ข้อคำถาม" and cells["รหัส"] == "e1" and cells["ช่องทาง"]:
            cells["คะแนน"] = "89,76" if cells["ช่องทาง"] == "ช่องทางออนไลน์" else "92%"
        filled.append([cells[h] for h in headers])
    data = "\r\n".join(
        ",".join("" if v is None else f'"{v}"' for v in row) for row in [headers, *filled]
    ).encode("utf-8-sig")

    results_import(sheets=parse_tables(read_sheet_file("filled.csv", data)))

    organisation, results = stored_results()
    assert organisation == khp and Organisation.objects.count() == 1
    assert results.indicators[1].score == Decimal("98.07")
    assert results.questions == {
        ("e1", "public"): Decimal("89.76"),
        ("e1", "survey"): Decimal("92.00"),
    }
