"""The command line: import_results FILE [--dry-run] and export_results."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from ita.models import Assessment, IndicatorResult, ItemResult, Organisation, QuestionScore
from ita.sheets import SheetMeta, read_sheet_file, sheet_rows, write_csv, write_xlsx
from ita.sheets.export import framework_for_template, sheet_layout
from ita.sheets.vocabulary import kind_name
from tests.ita.sheet_data import KHP_NAME, khp_results, save_fictional, save_khp

MODELS = (Organisation, Assessment, IndicatorResult, QuestionScore, ItemResult)


@pytest.fixture(autouse=True)
def _english_output(settings):
    """Commands speak the site's language (Thai by default); most tests here read English."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_import_results_speaks_thai_by_default(tmp_path, settings):
    settings.LANGUAGE_CODE = "th"
    save_khp()
    path = tmp_path / "khp.xlsx"
    call_command("export_results", year=2568, format="xlsx", output=str(path), stdout=io.StringIO())
    out = io.StringIO()

    with translation.override("th"):
        call_command("import_results", str(path), dry_run=True, stdout=out)

    assert "ทดลองตรวจสอบ: ไฟล์ถูกต้อง ยังไม่ได้บันทึกข้อมูล" in out.getvalue()


def counts() -> list[int]:
    return [m.objects.count() for m in MODELS]


def khp_rows(name: str = KHP_NAME) -> list[dict]:
    meta = SheetMeta(2568, name, "สระแก้ว", "sao", "วังน้ำเย็น", note="")
    return sheet_rows(sheet_layout(framework_for_template(2568)), meta, khp_results())


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_results_saves_every_worksheet_and_prints_a_summary(tmp_path):
    path = tmp_path / "two.xlsx"
    path.write_bytes(write_xlsx([("a", khp_rows()), ("b", khp_rows("อบต.ทดสอบ"))]))

    out, _ = run("import_results", str(path), "--create-organisations")

    assert "2568 องค์การบริหารส่วนตำบลคลองหินปูน: created" in out
    assert "2 assessments saved." in out
    assert counts() == [2, 2, 20, 66, 8]


@pytest.mark.django_db
def test_import_results_dry_run_checks_the_file_and_writes_nothing(tmp_path):
    path = tmp_path / "khp.csv"
    path.write_bytes(write_csv(khp_rows()))

    out, _ = run("import_results", str(path), "--dry-run")

    assert "scores of 3 tools, 10 indicators, 33 questions, 4 OIT items" in out
    assert "Dry run: the file is fine; nothing was saved." in out
    assert counts() == [0, 0, 0, 0, 0]


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [False, True])
def test_import_results_refuses_a_bad_file_with_status_1_and_saves_nothing(tmp_path, dry_run):
    save_khp()
    before = counts()
    rows = khp_rows()
    bad = [{"kind": "item", "code": "o2", "score": "ดี"}, {"kind": "tool", "code": "XYZ"}]
    path = tmp_path / "khp.csv"
    path.write_bytes(write_csv([*rows, *bad]))
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_results", str(path), *(["--dry-run"] if dry_run else []), stderr=err)

    assert refused.value.returncode == 1
    assert "2 errors: the file was refused and nothing was saved." in str(refused.value)
    lines = err.getvalue().splitlines()
    assert f"row {len(rows) + 2}" in lines[0] and "Score “ดี” is not a number" in lines[0]
    assert f"row {len(rows) + 3}" in lines[1] and "There is no tool XYZ in 2568" in lines[1]
    assert counts() == before


@pytest.mark.django_db
def test_import_results_refuses_missing_and_unknown_files():
    with pytest.raises(CommandError, match="No such file"):
        run("import_results", "/nonexistent/khp.xlsx")
    with pytest.raises(CommandError, match=r"Only \.xlsx and \.csv files"):
        run("import_results", __file__)


def test_import_results_exit_status_as_a_process(tmp_path):
    """The real command line: 0 when saved, 1 when refused, 2 for a wrong option."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(write_csv([{"kind": "fiscal_year", "text": 2568}, *PROCESS_ROWS]))
    bad.write_bytes(write_csv([{"kind": "fiscal_year", "text": 2025}, *PROCESS_ROWS]))

    def status(*args: str) -> int:
        return subprocess.run([*manage, *args], env=env, capture_output=True).returncode

    assert status("migrate", "-v0") == 0
    assert status("import_results", str(bad)) == 1
    assert status("import_results", str(good)) == 1  # a new organisation needs the option
    assert status("import_results", str(good), "--create-organisations") == 0
    assert status("import_results", str(good), "--no-such-option") == 2


PROCESS_ROWS = [
    {"kind": "organisation", "text": "อบต.ทดสอบ"},
    {"kind": "province", "text": "สระแก้ว"},
    {"kind": "agency_type", "text": "sao"},
    {"kind": "overall", "score": "94.39"},
]


@pytest.mark.django_db
def test_export_results_json_lists_published_and_computed_scores():
    save_khp()
    save_fictional(2567)

    out, _ = run("export_results", "--year", "2568", "--format", "json")

    (data,) = json.loads(out)
    assert data["organisation"] == {"name": KHP_NAME, "district": "วังน้ำเย็น", "province": "สระแก้ว"}
    assert (data["fiscal_year"], data["agency_type"]) == (2568, "sao")
    assert (data["published_overall"], data["computed_overall"]) == ("94.39", "94.39")
    assert (data["published_level"], data["computed_level"]) == ("ผ่านดี", "ผ่านดี")
    assert data["mismatches"] == ["indicator 8"]
    assert data["tools"][0] == {
        "code": "IIT",
        "published": "97.54",
        "computed": "97.54",
        "mismatch": False,
    }
    assert data["indicators"][7] == {
        "number": 8,
        "name": "การปรับปรุงการทำงาน",
        "published": "90.31",
        "computed": "90.29",
        "mismatch": True,
    }
    assert [i["published"] for i in data["indicators"]] == [
        "98.07", "99.12", "99.12", "94.38", "97.02", "93.92", "90.55", "90.31", "98.25", "90.00",
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("years", [[2568], [2568, 2566, 2563]])
def test_export_results_json_query_count_does_not_grow(years, django_assert_num_queries):
    for year in years:
        save_fictional(year)

    with django_assert_num_queries(11):
        out, _ = run("export_results", "--format", "json")

    assert [a["fiscal_year"] for a in json.loads(out)] == sorted(years)


@pytest.mark.django_db
def test_export_results_filters_by_organisation_name():
    save_khp()
    save_fictional(2568)

    out, _ = run("export_results", "--org", "คลองหินปูน", "--format", "json")

    assert [a["organisation"]["name"] for a in json.loads(out)] == [KHP_NAME]


@pytest.mark.django_db
def test_export_results_xlsx_writes_one_worksheet_per_assessment(tmp_path):
    save_khp()
    save_fictional(2564)
    save_fictional(2568)
    path = tmp_path / "all.xlsx"

    _, err = run("export_results", "--format", "xlsx", "--output", str(path))

    tables = read_sheet_file(path.name, path.read_bytes())
    assert len(tables) == 3
    assert "3 assessments written" in err


@pytest.mark.django_db
def test_export_results_csv_neutralises_formulas_and_needs_a_folder_for_several(tmp_path):
    save_khp()
    save_fictional(2564)

    single, _ = run("export_results", "--year", "2568", "--format", "csv")
    with pytest.raises(CommandError, match="2 assessments: CSV needs --output DIRECTORY"):
        run("export_results", "--format", "csv")
    run("export_results", "--format", "csv", "--output", str(tmp_path))

    assert "'=HYPERLINK" in single
    assert "'-มีการขอยืม" in single
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2564-เทศบาลตำบลบ้านสาธิต-(ข้อมูลสมมติ).csv",
        "2568-องค์การบริหารส่วนตำบลคลองหินปูน.csv",
    ]


@pytest.mark.django_db
def test_export_results_template_lists_every_code_of_the_year(tmp_path):
    path = tmp_path / "2564.xlsx"

    run("export_results", "--template", "--year", "2564", "--format", "xlsx", "--output", str(path))

    table = read_sheet_file(path.name, path.read_bytes())[0]
    assert table.headers == ["ประเภท", "รหัส", "ช่องทาง", "รายการ", "คะแนน", "ผล", "ข้อความ"]
    assert [r[1] for r in table.rows if r[0] == "ข้อคำถาม"] == [f"i{n}" for n in range(1, 31)]
    assert {r[4] for r in table.rows} == {None}
    assert openpyxl.load_workbook(path).active["G2"].value == 2564


@pytest.mark.django_db
def test_export_results_template_in_english_on_request_and_both_read_back(tmp_path):
    thai, english = tmp_path / "th.csv", tmp_path / "en.csv"
    command = ["export_results", "--template", "--year", "2568", "--format", "csv"]
    run(*command, "--output", str(thai))

    run(*command, "--english", "--output", str(english))

    en = read_sheet_file(english.name, english.read_bytes())[0]
    th = read_sheet_file(thai.name, thai.read_bytes())[0]
    assert en.headers == ["kind", "code", "channel", "label", "score", "status", "text"]
    assert {r[0] for r in en.rows} >= {"question", "item", "indicator", "fiscal_year"}
    assert "public" in {r[2] for r in en.rows} and "ช่องทางออนไลน์" in {r[2] for r in th.rows}
    assert [[kind_name(r[0]), *r[1:2], *r[3:]] for r in th.rows] == [
        [r[0], *r[1:2], *r[3:]] for r in en.rows
    ]


@pytest.mark.django_db
def test_export_results_refuses_impossible_requests():
    with pytest.raises(CommandError, match="XLSX needs --output"):
        run("export_results", "--format", "xlsx")
    with pytest.raises(CommandError, match="--template needs --year"):
        run("export_results", "--template", "--format", "csv")
    with pytest.raises(CommandError, match="No assessment matches"):
        run("export_results", "--year", "2568", "--format", "csv")
