"""The admin preview tells the truth before anything is written, and the confirm writes
exactly that: the organisation matched (or a new one only with its tick), every value new,
changed or removed, and the computed-vs-published check."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita.models import (
    Assessment,
    IndicatorResult,
    ItemResult,
    Organisation,
    QuestionScore,
    ToolResult,
)
from ita.services.results_import import match_key, parse_tables, results_import
from ita.sheets import SheetErrors, read_sheet_file, write_csv
from ita.sheets.export import assessment_sheet, assessments_for_export
from tests.badinput.corpus import KHP_META, confirm_data, good_rows
from tests.ita.sheet_data import KHP_NAME, khp_results, save_khp

pytestmark = pytest.mark.django_db
MODELS = (Organisation, Assessment, ToolResult, IndicatorResult, QuestionScore, ItemResult)
D = Decimal


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture(autouse=True)
def plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def preview(client, data: bytes, name: str = "khp.csv", language: str = "en"):
    client.cookies["django_language"] = language
    return client.post(
        reverse("admin:ita_assessment_import"),
        {"format": "1", "import_file": SimpleUploadedFile(name, data)},
    )


def confirm(client, response, *, tick: bool = True):
    return client.post(
        reverse("admin:ita_assessment_process_import"),
        confirm_data(response, tick=tick),
        follow=True,
    )


def short_named_rows() -> list[dict]:
    rows = good_rows()
    for row in rows:
        if row["kind"] == "organisation":
            row["text"] = "อบต.คลองหินปูล"  # misspelt: no stored organisation matches
        if row["kind"] == "province":
            row["text"] = "จังหวัดสระแก้ว"
    return rows


def test_preview_of_an_unknown_organisation_offers_the_closest_names_and_a_tick(admin_client):
    save_khp()
    before = counts()

    response = preview(admin_client, write_csv(short_named_rows()))

    content = response.content.decode()
    assert "no organisation องค์การบริหารส่วนตำบลคลองหินปูล (สระแก้ว) is stored" in content
    assert f"the closest are: {KHP_NAME}" in content
    key = match_key("องค์การบริหารส่วนตำบลคลองหินปูล", "สระแก้ว")
    assert f'name="create_organisation" value="{key}"' in content
    assert counts() == before


def test_confirm_without_the_tick_refuses_and_writes_nothing(admin_client):
    save_khp()
    response = preview(admin_client, write_csv(short_named_rows()))
    before = counts()

    confirmed = confirm(admin_client, response, tick=False)

    shown = [str(m) for m in confirmed.context["messages"]]
    assert any("is not stored yet and was not ticked to be created" in m for m in shown), shown
    assert any("Nothing was imported" in m for m in shown)
    assert counts() == before


def test_confirm_with_the_tick_creates_the_organisation_in_the_stored_spelling(admin_client):
    response = preview(admin_client, write_csv(short_named_rows()))

    confirm(admin_client, response, tick=True)

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.province, organisation.district) == (
        "องค์การบริหารส่วนตำบลคลองหินปูล",
        "สระแก้ว",
        "วังน้ำเย็น",
    )
    assert organisation.assessments.count() == 1


def test_preview_in_thai_says_which_organisation_it_matches(admin_client):
    save_khp()

    response = preview(admin_client, write_csv(good_rows()), language="th")

    assert f"ตรงกับ {KHP_NAME} (สระแก้ว)" in response.content.decode()


def test_preview_lists_old_to_new_and_removed_values_and_counts(admin_client):
    save_khp()
    rows = [r for r in good_rows() if not (r["kind"] == "item" and r["code"] == "o21")]
    for row in rows:
        if row["kind"] == "indicator" and row["code"] == 1:
            row["score"] = D("97.00")
    before = counts()

    response = preview(admin_client, write_csv(rows))

    changes = {
        (c["what"], c["change"]): (c["old"], c["new"])
        for p in response.context["ita_previews"]
        for c in p.changes
    }
    assert changes[("indicator 1", "changed")][0].startswith("98.07")
    assert changes[("indicator 1", "changed")][1].startswith("97.00")
    assert ("item o21", "removed") in changes
    content = response.content.decode()
    assert "0 new, 1 changed, 1 removed" in content
    assert "→ 97.00" in content
    assert counts() == before


def test_preview_shows_the_computed_check_and_flags_a_mismatch_before_saving(admin_client):
    rows = good_rows()
    for row in rows:
        if row["kind"] == "indicator" and row["code"] == 1:
            row["score"] = D("50.00")  # its questions say 98.07
    before = counts()

    response = preview(admin_client, write_csv(rows))

    checks = response.context["ita_previews"][0].checks
    flagged = [c.key for c in checks if c.mismatch]
    assert "indicator-1" in flagged
    assert any(c.key == "level" and c.published == "ผ่านดี" for c in checks)
    assert "ita-mismatch" in response.content.decode()
    assert counts() == before


def test_confirm_writes_exactly_what_the_preview_listed(admin_client):
    save_khp()
    rows = good_rows()
    for row in rows:
        if row["kind"] == "indicator" and row["code"] == 1:
            row["score"] = D("97.00")
    response = preview(admin_client, write_csv(rows))
    listed = response.context["ita_previews"][0].changes

    confirm(admin_client, response)

    stored = assessment_sheet(assessments_for_export().get())[1]
    expected = khp_results()
    expected.indicators[1] = replace(expected.indicators[1], score=D("97.00"))
    assert stored == expected
    assert [(c["what"], c["change"]) for c in listed] == [("indicator 1", "changed")]


def test_service_refuses_an_unticked_new_organisation_but_a_dry_run_reports_it():
    sheets = parse_tables(read_sheet_file("khp.csv", write_csv(good_rows())))

    [dry] = results_import(sheets=sheets, dry_run=True, new_organisations=[])
    with pytest.raises(SheetErrors, match="was not ticked"):
        results_import(sheets=sheets, new_organisations=[])

    assert dry.match is not None and dry.match.existing is None
    assert dry.diff is not None and dry.diff.new > 0 and dry.diff.removed == 0
    assert Organisation.objects.count() == 0


def test_service_with_the_key_creates_it_once_and_matches_it_the_next_time():
    data = write_csv(short_named_rows())
    key = match_key("อบต.คลองหินปูล", "จังหวัดสระแก้ว")

    results_import(sheets=parse_tables(read_sheet_file("a.csv", data)), new_organisations=[key])
    [again] = results_import(
        sheets=parse_tables(read_sheet_file("a.csv", data)), new_organisations=[]
    )

    assert Organisation.objects.count() == 1
    assert again.match is not None and again.match.existing == Organisation.objects.get()
    assert not again.created


def test_two_sheets_of_one_organisation_in_two_spellings_are_refused():
    rows_a = good_rows()
    rows_b = [
        {**r, "text": "อบต.คลองหินปูน"} if r["kind"] == "organisation" else r for r in good_rows()
    ]
    from ita.sheets import write_xlsx

    data = write_xlsx([("a", rows_a), ("b", rows_b)])

    with pytest.raises(SheetErrors, match="one assessment per sheet"):
        results_import(sheets=parse_tables(read_sheet_file("two.xlsx", data)))

    assert counts()["Assessment"] == 0


def test_a_clerk_may_import_for_their_organisation_written_another_way(client):
    from tests.ita.test_import_export import staff_clerk_of

    own = Organisation.objects.create(
        name=KHP_META.organisation, district=KHP_META.district, province=KHP_META.province,
        agency_type="sao",
    )  # fmt: skip
    client.force_login(staff_clerk_of(own))
    rows = [
        {**r, "text": "อบต. คลองหินปูน"} if r["kind"] == "organisation" else r for r in good_rows()
    ]

    response = preview(client, write_csv(rows))
    confirm(client, response)

    assert Assessment.objects.get().organisation == own
    assert Organisation.objects.count() == 1


def test_command_refuses_a_new_organisation_without_the_option_and_names_it(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "new.csv"
    path.write_bytes(write_csv(short_named_rows()))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_results", str(path), stderr=err, stdout=io.StringIO())
    assert "องค์การบริหารส่วนตำบลคลองหินปูล (สระแก้ว) is not stored yet" in err.getvalue()
    assert counts()["Organisation"] == 0

    out = io.StringIO()
    call_command("import_results", str(path), "--create-organisations", stdout=out)
    assert Organisation.objects.get().name == "องค์การบริหารส่วนตำบลคลองหินปูล"
