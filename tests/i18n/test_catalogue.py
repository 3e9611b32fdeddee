"""Our catalogue comes first: where Django or a third-party app ships a Thai string that is
wrong or none at all, locale/th/LC_MESSAGES/django.po decides."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext


def test_project_catalogue_is_searched_first():
    assert str(settings.LOCALE_PATHS[0]).endswith("locale")

    with translation.override("th"):
        history, none_available = gettext("History"), gettext("None available")

    # Django's admin catalogue says ประวัติ and ไม่ว่าง ("not free"); ours overrides both.
    assert history == "ประวัติการแก้ไข"
    assert none_available == "ไม่มี"


def test_third_party_strings_are_thai():
    with translation.override("th"):
        texts = {
            "import": gettext("Import"),
            "export": gettext("Export"),
            "error": ngettext(
                "Please correct the error below.", "Please correct the errors below.", 1
            ),
            "changed": gettext("The {name} “{obj}” was changed successfully."),
            "axes": gettext("access attempts"),
            "revert": gettext("Revert %(verbose_name)s"),
        }

    assert texts == {
        "import": "นำเข้า",
        "export": "ส่งออก",
        "error": "กรุณาแก้ไขข้อผิดพลาดด้านล่าง",
        "changed": "แก้ไข{name} “{obj}” เรียบร้อยแล้ว",
        "axes": "การพยายามเข้าสู่ระบบ",
        "revert": "ย้อนกลับ%(verbose_name)s",
    }


def test_past_results_sheet_keeps_its_own_word_for_history():
    with translation.override("th"):
        assert pgettext("sheet of past years' results", "History") == "ผลย้อนหลัง"
    with translation.override("en"):
        assert gettext("None available") == "None available"


def test_admin_script_catalogue_has_our_thai_strings(admin_client):
    # The two-box chooser of permissions and groups is drawn by the admin's scripts.
    script = admin_client.get("/admin/jsi18n/").content.decode()

    thai = json.dumps("เลือก%sทั้งหมด")  # the catalogue is JSON, with \u escapes
    assert f'"Choose all %s": {thai}' in script


def test_admin_action_counter_is_thai(admin_client):
    # The changelist's "0 of 1 selected" is rewritten by the admin's script.
    script = admin_client.get("/admin/jsi18n/").content.decode()

    assert json.dumps("เลือกแล้ว %(sel)s จาก %(cnt)s รายการ") in script
