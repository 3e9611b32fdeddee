"""The import as a clerk reaches it in a real browser: from the assessment list's Import
button, through the preview (what it matches, the closest names, the tick), to the
assessment the confirm opens."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ita.models import Organisation
from ita.sheets import write_csv
from tests.badinput.corpus import good_rows
from tests.chromium import launched, plain_http_cookies
from tests.ita.sheet_data import KHP_NAME

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "pass-1234-admin"
SHOTS = os.environ.get("ITA_SCREENSHOTS")  # a folder to keep screenshots in, when set

__all__ = ["plain_http_cookies"]


def _rows(name: str) -> list[dict]:
    rows = good_rows()
    for row in rows:
        if row["kind"] == "organisation":
            row["text"] = name
        elif row["kind"] == "province":
            row["text"] = "จังหวัดสระแก้ว"
        elif row["kind"] == "indicator" and row["code"] == 1:
            row["score"] = "๙๗,๕๐"
    return rows


def _upload(page, live_server, name: str, data: bytes) -> None:
    page.goto(live_server.url + reverse("admin:ita_assessment_changelist"))
    with page.expect_navigation():
        page.click("a.import_link")
    page.select_option("select[name=format]", label="csv")
    page.set_input_files(
        "input[name=import_file]", {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    with page.expect_navigation():
        page.click("form input[type=submit]")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_import_click_path_matches_a_stored_organisation_and_offers_a_tick_for_a_new_one(
    live_server, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    get_user_model().objects.create_superuser("boss", "boss@example.invalid", PASSWORD)
    khp = Organisation.objects.create(
        name=KHP_NAME, province="สระแก้ว", district="วังน้ำเย็น", agency_type="sao"
    )
    matching, new = write_csv(_rows("อบต.คลองหินปูน")), write_csv(_rows("อบต.คลองหินปูล"))
    with launched() as browser:
        page = browser.new_context(locale="th-TH").new_page()
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("input[name=username]", "boss")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("input[type=submit]")

        _upload(page, live_server, "khp.csv", matching)
        matched = page.inner_text(".ita-import-match")
        page.click("details.ita-import-all-new summary")  # a first import: all values new
        changed = page.inner_text(".ita-import-changes")
        _shot(page, "import-preview-match.png")
        assert page.locator("input[name=create_organisation]").count() == 0

        _upload(page, live_server, "new.csv", new)
        suggested = page.inner_text(".ita-import-match")
        _shot(page, "import-preview-new.png")
        page.check("input[name=create_organisation]")
        with page.expect_navigation():
            page.click("input[name=confirm]")
        opened = page.url

    assert matched == f"ตรงกับ {KHP_NAME} (สระแก้ว)"
    assert "ตัวชี้วัด 1" in changed and "97.50" in changed
    assert KHP_NAME in suggested and "ชื่อที่ใกล้เคียงที่สุด" in suggested
    created = Organisation.objects.exclude(pk=khp.pk).get()
    assert created.name == "องค์การบริหารส่วนตำบลคลองหินปูล"
    # The confirm opens the entry screen to check what was saved (ita.admin.sheets); the
    # model's own URL became its analysis page with the admin's "view on site".
    entry = reverse("admin:ita_assessment_change", args=[created.assessments.get().pk])
    assert opened.endswith(entry)
