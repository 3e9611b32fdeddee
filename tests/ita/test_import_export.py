"""Results sheets and the database: import (all or nothing), export, round trip, admin."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita.models import (
    Assessment,
    IndicatorResult,
    Item,
    ItemResult,
    Membership,
    Organisation,
    Question,
    QuestionScore,
    ToolResult,
)
from ita.queries import assessment_with_details, scores_for
from ita.services.results_import import parse_tables, results_import
from ita.sheets import SheetErrors, SheetMeta, read_sheet_file, sheet_rows, write_csv, write_xlsx
from ita.sheets.export import (
    assessment_rows,
    assessment_summary,
    assessments_for_export,
    export_csv,
    export_xlsx,
    framework_for_template,
    sheet_layout,
    template_rows,
)
from ita.sheets.vocabulary import kind_name
from tests.badinput.corpus import confirm_data
from tests.ita.sheet_data import KHP_NAME, khp_results, save_fictional, save_khp

D = Decimal
MODELS = (Organisation, Assessment, ToolResult, IndicatorResult, QuestionScore, ItemResult)
KHP_META = SheetMeta(2568, KHP_NAME, "สระแก้ว", "sao", "วังน้ำเย็น", note="")


@pytest.fixture(autouse=True)
def admin_pages(settings):
    # With DEBUG off the manifest storage needs collectstatic; these tests render admin pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Query counts must not depend on which test warmed the content-type cache first.
    ContentType.objects.clear_cache()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def khp_rows() -> list[dict]:
    return sheet_rows(sheet_layout(framework_for_template(2568)), KHP_META, khp_results())


def import_file(name: str, data: bytes, *, dry_run: bool = False):
    return results_import(sheets=parse_tables(read_sheet_file(name, data)), dry_run=dry_run)


def cell(kind: str, code: object = "", channel: str = "", **values: object) -> dict:
    return {"kind": kind, "code": code, "channel": channel, **values}


@pytest.mark.django_db
def test_sheets_import_saves_a_full_2568_assessment_through_the_services():
    outcomes = import_file("khp.csv", write_csv(khp_rows()))

    assessment = assessment_with_details(outcomes[0].assessment.pk)
    scores = scores_for(assessment)
    assert outcomes[0].created
    assert counts() == {
        "Organisation": 1,
        "Assessment": 1,
        "ToolResult": 3,
        "IndicatorResult": 10,
        "QuestionScore": 33,
        "ItemResult": 4,
    }
    assert (assessment.organisation.name, assessment.organisation.agency_type) == (KHP_NAME, "sao")
    assert (scores.overall.computed_rounded, scores.computed_level) == (D("94.39"), "ผ่านดี")
    assert [i.number for i in scores.indicators if i.check.mismatch] == [8]
    assert assessment.item_results.get(item__code="o27").reason.startswith("@ยังไม่เผยแพร่")


BAD_LAST_ROWS = [
    (cell("wibble"), "Unknown kind “wibble”"),
    (cell("tool", "XYZ", score=50), "There is no tool XYZ in 2568"),
    (cell("indicator", 11, score=50), "There is no indicator 11 in 2568"),
    (cell("question", "i99", score=50), "Question i99 is not in the 2568 framework"),
    (cell("question", "i20", score=50), "Question i20 belongs to the 2564 framework"),
    (cell("question", "e1", score=50), "Question e1 needs a channel"),
    (cell("item", "o99", score=50), "There is no OIT item o99 in 2568"),
    (cell("item", "o2", score=101), "Score 101 is outside 0–100"),
    (cell("item", "o2", score="ดี"), "Score “ดี” is not a number"),
    (cell("item", "o2", score="=AVERAGE(1,2)"), "Column score holds a formula"),
    (cell("item", "o2", status="maybe"), "Item o2: unknown result “maybe”"),
    (cell("question", "i1", score=90), "Duplicate row: question i1 is already given in row"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("existing", [False, True], ids=["empty", "replacing"])
@pytest.mark.parametrize(("bad", "message"), BAD_LAST_ROWS, ids=[m for _, m in BAD_LAST_ROWS])
def test_sheets_import_refuses_a_file_whose_last_row_is_bad_and_saves_nothing(
    bad, message, existing
):
    if existing:
        save_khp(results=khp_results())
    rows = [{**r, "score": "90.00"} if r["kind"] == "indicator" else r for r in khp_rows()]
    before, stored = counts(), [assessment_rows(a) for a in assessments_for_export()]

    with pytest.raises(SheetErrors) as refused:
        import_file("khp.csv", write_csv([*rows, bad]))

    assert [(e.row, message in e.message) for e in refused.value.errors] == [(len(rows) + 2, True)]
    assert counts() == before
    assert [assessment_rows(a) for a in assessments_for_export()] == stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (
            "fiscal_year",
            2025,
            "2025 looks like a Gregorian (A.D.) year: use the Buddhist year 2568",
        ),
        ("fiscal_year", 2590, "There is no ITA framework for fiscal year 2590"),
        ("organisation", "", "The organisation row is empty"),
        ("province", "", "The province row is empty"),
        ("agency_type", "บริษัทจำกัด", "Unknown agency type “บริษัทจำกัด”"),
    ],
)
def test_sheets_import_refuses_missing_or_invalid_meta_and_saves_nothing(kind, text, message):
    rows = [{**r, "text": text} if r["kind"] == kind else r for r in khp_rows()]

    with pytest.raises(SheetErrors) as refused:
        import_file("khp.csv", write_csv(rows))

    assert any(message in e.message for e in refused.value.errors)
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_sheets_import_refuses_a_formula_cell_in_an_xlsx_file():
    data = write_xlsx([("2568", khp_rows())])
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active.append(["item", "o2", None, None, "=AVERAGE(50,100)"])
    buffer = io.BytesIO()
    book.save(buffer)

    with pytest.raises(SheetErrors) as refused:
        import_file("khp.xlsx", buffer.getvalue())

    assert "Column score holds a formula (=AVERAGE(50,100))" in refused.value.errors[0].message
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_sheets_import_dry_run_checks_everything_and_writes_nothing():
    outcomes = import_file("khp.csv", write_csv(khp_rows()), dry_run=True)

    assert [o.sheet.meta.organisation for o in outcomes] == [KHP_NAME]
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_sheets_import_of_a_workbook_is_all_or_nothing():
    other = [{**r, "text": "อบต.อื่น"} if r["kind"] == "organisation" else r for r in khp_rows()]
    data = write_xlsx([("good", khp_rows()), ("bad", [*other, cell("tool", "XYZ", score=1)])])

    with pytest.raises(SheetErrors) as refused:
        import_file("two.xlsx", data)

    assert [e.sheet for e in refused.value.errors] == ["bad"]
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_sheets_import_refuses_the_same_assessment_in_two_worksheets():
    data = write_xlsx([("a", khp_rows()), ("b", khp_rows())])

    with pytest.raises(SheetErrors) as refused:
        import_file("twice.xlsx", data)

    assert "is also in sheet “a”" in refused.value.errors[0].message
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_sheets_import_replaces_an_assessment_with_exactly_the_sheet():
    save_khp()
    rows = [r for r in khp_rows() if r["kind"] not in ("item", "tool")]

    outcomes = import_file("khp.csv", write_csv(rows))

    assert not outcomes[0].created
    assert (Assessment.objects.count(), ToolResult.objects.count(), ItemResult.objects.count()) == (
        1,
        0,
        0,
    )


@pytest.mark.django_db
def test_sheets_import_of_an_older_year_keeps_the_organisation_current_type():
    save_khp()  # 2568 as องค์การบริหารส่วนตำบล
    Organisation.objects.update(agency_type="subdistrict")
    rows = [{**r, "text": 2567} if r["kind"] == "fiscal_year" else r for r in khp_rows()]
    rows = [r for r in rows if r["kind"] not in ("question", "item")]

    outcomes = import_file("2567.csv", write_csv(rows))

    assert outcomes[0].assessment.agency_type == "sao"
    assert Organisation.objects.get().agency_type == "subdistrict"


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_database_round_trips(file_format):
    save_khp()
    save_fictional(2564)
    save_fictional(2567, name="เทศบาลตำบลบ้านสาธิต (ข้อมูลสมมติ)")
    assessments = list(assessments_for_export())
    summaries = [assessment_summary(a) for a in assessments]
    rows = [assessment_rows(a) for a in assessments]
    notes = sorted(Assessment.objects.values_list("note", flat=True))
    if file_format == "xlsx":
        files = [("all.xlsx", export_xlsx(assessments))]
    else:
        files = [(f"{n}.csv", export_csv(a)) for n, a in enumerate(assessments)]

    Assessment.objects.all().delete()
    Organisation.objects.all().delete()
    tables = [t for name, data in files for t in read_sheet_file(name, data)]
    results_import(sheets=parse_tables(tables))

    again = list(assessments_for_export())
    assert [assessment_summary(a) for a in again] == summaries
    assert [assessment_rows(a) for a in again] == rows
    assert sorted(Assessment.objects.values_list("note", flat=True)) == notes
    khp = next(s for s in summaries if s["organisation"]["name"] == KHP_NAME)
    assert (khp["computed_overall"], khp["mismatches"]) == ("94.39", ["indicator 8"])


@pytest.mark.django_db
def test_template_rows_of_2568_contain_every_code_of_the_year(framework_2568):
    rows = template_rows(framework_for_template(2568))

    questions = {(r["code"], r["channel"]) for r in rows if r["kind"] == "question"}
    assert rows[0] == {**rows[0], "kind": "fiscal_year", "text": 2568}
    assert {r["code"] for r in rows if r["kind"] == "tool"} == {"IIT", "EIT", "OIT"}
    assert [r["code"] for r in rows if r["kind"] == "indicator"] == list(range(1, 11))
    assert questions == {(f"i{n}", "") for n in range(1, 16)} | {
        (f"e{n}", c) for n in range(1, 10) for c in ("public", "survey")
    }
    assert {r["code"] for r in rows if r["kind"] == "item"} == set(
        Item.objects.filter(indicator__framework=framework_2568).values_list("code", flat=True)
    )
    assert {r["score"] for r in rows} == {""}


# --- admin -----------------------------------------------------------------------------

IMPORT_URL = "admin:ita_assessment_import"
CSV_FORMAT, XLSX_FORMAT = "1", "0"


def upload(client, name: str, data: bytes, file_format: str):
    return client.post(
        reverse(IMPORT_URL),
        {"format": file_format, "import_file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.django_db
def test_admin_changelist_offers_import_and_a_blank_sheet(admin_client):
    response = admin_client.get(reverse("admin:ita_assessment_changelist"))

    content = response.content.decode()
    assert reverse(IMPORT_URL) in content
    assert reverse("admin:ita_assessment_sheet_template") in content


@pytest.mark.django_db
def test_admin_import_preview_shows_row_errors_and_no_confirm_button(admin_client):
    rows = khp_rows()
    data = write_csv([*rows, cell("item", "o2", score=150), cell("tool", "XYZ", score=1)])

    response = upload(admin_client, "khp.csv", data, CSV_FORMAT)

    content = response.content.decode()
    errors = response.context["result"].sheet_errors
    assert [e.row for e in errors] == [len(rows) + 2, len(rows) + 3]
    assert f"<td>{len(rows) + 2}</td>" in content
    assert "Score 150 is outside 0–100" in content
    assert "There is no tool XYZ in 2568" in content
    assert reverse("admin:ita_assessment_process_import") not in content
    assert 'name="confirm"' not in content
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_admin_import_saves_a_good_file_only_after_confirm(admin_client):
    preview = upload(admin_client, "khp.xlsx", write_xlsx([("2568", khp_rows())]), XLSX_FORMAT)
    assert 'name="confirm"' in preview.content.decode()
    assert set(counts().values()) == {0}

    response = admin_client.post(
        reverse("admin:ita_assessment_process_import"), confirm_data(preview), follow=True
    )

    assessment = Assessment.objects.get()
    assert response.redirect_chain[0][0] == reverse(
        "admin:ita_assessment_change", args=[assessment.pk]
    )
    assert counts()["QuestionScore"] == 33
    assert assessment.published_overall == D("94.39")
    assert assessment.indicator_results.get(indicator__number=8).analysis.startswith("=HYPERLINK")


@pytest.mark.django_db
def test_admin_import_confirm_checks_the_file_again_and_saves_nothing_on_error(admin_client):
    preview = upload(admin_client, "khp.csv", write_csv(khp_rows()), CSV_FORMAT)
    Question.objects.filter(code="e9").delete()  # the framework changed after the preview

    response = admin_client.post(
        reverse("admin:ita_assessment_process_import"),
        confirm_data(preview),
        follow=True,
    )

    shown = [str(m) for m in response.context["messages"]]
    assert response.redirect_chain[0][0] == reverse(IMPORT_URL)
    assert any("Question e9 is not in the 2568 framework" in m for m in shown)
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_admin_import_refuses_a_workbook_of_several_assessments(admin_client):
    data = write_xlsx([("a", khp_rows()), ("b", khp_rows())])

    response = upload(admin_client, "two.xlsx", data, XLSX_FORMAT)

    assert "This workbook has 2 worksheets" in str(response.context["form"].errors["import_file"])
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_admin_import_says_so_when_an_xlsx_file_is_sent_as_csv(admin_client):
    response = upload(admin_client, "khp.xlsx", write_xlsx([("2568", khp_rows())]), CSV_FORMAT)

    assert "choose the xlsx format" in str(response.context["form"].errors["import_file"])


@pytest.mark.django_db
def test_admin_import_needs_the_right_to_add_and_change_assessments(client):
    viewer = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    client.force_login(viewer)

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 403
    assert "Import" not in client.get(reverse("admin:ita_assessment_changelist")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_admin_blank_sheet_lists_every_code_of_the_chosen_year(admin_client, file_format):
    response = admin_client.get(
        reverse("admin:ita_assessment_sheet_template"),
        {"fiscal_year": 2568, "file_format": file_format},
    )

    table = read_sheet_file(f"t.{file_format}", response.content)[0]
    codes = {r[1] for r in table.rows if kind_name(r[0]) in ("question", "item")}
    assert table.headers == ["ประเภท", "รหัส", "ช่องทาง", "รายการ", "คะแนน", "ผล", "ข้อความ"]
    assert {r[0] for r in table.rows} >= {"ข้อคำถาม", "ข้อ OIT", "ตัวชี้วัด", "ปีงบประมาณ"}
    assert f"ita-2568-template.{file_format}" in response["Content-Disposition"]
    assert codes == set(
        Question.objects.filter(indicator__framework__fiscal_year=2568).values_list(
            "code", flat=True
        )
    ) | set(
        Item.objects.filter(indicator__framework__fiscal_year=2568).values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_admin_blank_sheet_page_asks_for_year_and_format(admin_client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = admin_client.get(reverse("admin:ita_assessment_sheet_template"))

    assert [str(y) for y, _ in response.context["form"].fields["fiscal_year"].choices][:2] == [
        "2569",
        "2568",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2568, 2564])
def test_admin_blank_sheet_download_query_count(admin_client, year, django_assert_num_queries):
    with django_assert_num_queries(9):
        response = admin_client.get(
            reverse("admin:ita_assessment_sheet_template"),
            {"fiscal_year": year, "file_format": "xlsx"},
        )

    assert openpyxl.load_workbook(io.BytesIO(response.content)).active["G2"].value == year


@pytest.mark.django_db
def test_admin_import_page_query_count(admin_client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = admin_client.get(reverse(IMPORT_URL))

    content = response.content.decode()
    assert "ประเภท, รหัส, ช่องทาง, รายการ, คะแนน, ผล, ข้อความ" in content
    assert "kind, code" not in content


def export_action(client, action: str, assessments: list[Assessment]):
    return client.post(
        reverse("admin:ita_assessment_changelist"),
        {"action": action, "_selected_action": [a.pk for a in assessments]},
    )


@pytest.mark.django_db
def test_admin_export_action_writes_one_worksheet_per_selected_assessment(admin_client):
    chosen = [save_khp(), save_fictional(2564)]

    response = export_action(admin_client, "export_sheets_xlsx", chosen)

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [name[:5] for name in book.sheetnames] == ["2564 ", "2568 "]
    assert max(len(name) for name in book.sheetnames) == 31  # Excel's limit
    assert book.worksheets[1]["G3"].value == KHP_NAME


@pytest.mark.django_db
def test_admin_export_csv_action_zips_several_assessments(admin_client):
    chosen = [save_khp(), save_fictional(2564)]

    response = export_action(admin_client, "export_sheets_csv", chosen)

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "2564-เทศบาลตำบลบ้านสาธิต-(ข้อมูลสมมติ).csv",
        "2568-องค์การบริหารส่วนตำบลคลองหินปูน.csv",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("years", [[2568], [2568, 2567, 2564]])
def test_admin_export_action_query_count_does_not_grow(
    admin_client, years, django_assert_num_queries
):
    chosen = [save_fictional(year) for year in years]

    with django_assert_num_queries(15):
        response = export_action(admin_client, "export_sheets_xlsx", chosen)

    assert len(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets) == len(years)


def staff_clerk_of(organisation: Organisation):
    clerk = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_assessment", "change_assessment"])
    )
    Membership.objects.create(user=clerk, organisation=organisation)
    return clerk


@pytest.mark.django_db
def test_admin_import_refuses_a_sheet_about_another_organisation(client):
    own = Organisation.objects.create(name="อบต.ของฉัน", province="สระแก้ว", agency_type="sao")
    client.force_login(staff_clerk_of(own))

    response = upload(client, "khp.xlsx", write_xlsx([("2568", khp_rows())]), XLSX_FORMAT)

    content = response.content.decode()
    assert "only for your own organisation" in content
    assert 'name="confirm"' not in content
    assert {k: v for k, v in counts().items() if k != "Organisation"} == dict.fromkeys(
        [m.__name__ for m in MODELS if m is not Organisation], 0
    )
    assert list(Organisation.objects.values_list("name", flat=True)) == ["อบต.ของฉัน"]


@pytest.mark.django_db
def test_admin_import_accepts_a_sheet_about_the_clerks_own_organisation(client):
    own = Organisation.objects.create(
        name=KHP_META.organisation, district=KHP_META.district, province=KHP_META.province,
        agency_type="sao",
    )  # fmt: skip
    client.force_login(staff_clerk_of(own))

    preview = upload(client, "khp.xlsx", write_xlsx([("2568", khp_rows())]), XLSX_FORMAT)
    client.post(reverse("admin:ita_assessment_process_import"), confirm_data(preview))

    assert Assessment.objects.get().organisation == own
