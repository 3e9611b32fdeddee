"""The tolerant reader's parts, pure: headers, keys, separators, encodings, organisation
names, the preview's diff, and the migration that normalises stored names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation

from ita.orgnames import closest_names, normalise_organisation_name, organisation_key
from ita.results import IndicatorValue, ItemValue, ResultSet
from ita.sheets import SheetFileError, read_csv
from ita.sheets.cells import agency_type_code, item_status_code
from ita.sheets.diff import ChangeKind, results_diff
from ita.sheets.files import csv_delimiter, decode_csv
from ita.sheets.vocabulary import channel_code, column_name, kind_name

D = Decimal
THAI = "ประเภท,รหัส,คะแนน\r\nตัวชี้วัด,1,๙๘.๐๗\r\n"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("kind", "kind"),
        (" Kind ", "kind"),
        ("ประเภท", "kind"),
        ("รหัส", "code"),
        ("ช่องทาง", "channel"),
        ("คะแนน (score)", "score"),
        ("score / คะแนน", "score"),
        ("ผล", "status"),
        ("ข้อความ", "text"),
        ("คะแนนดิบ", None),
    ],
)
def test_column_name_reads_english_thai_and_bilingual_headers(header: str, column: str | None):
    assert column_name(header) == column


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("EitPublic", "public"),
        ("ช่องทางออนไลน์", "public"),
        ("ช่องทางออนไลน์ (EitPublic)", "public"),
        ("Open online channel (EitPublic)", "public"),
        ("PUBLIC", "public"),
        ("EitSurvey", "survey"),
        ("การสำรวจกลุ่มตัวอย่าง", "survey"),
        ("ช่องทางพิเศษ", "ช่องทางพิเศษ"),
    ],
)
def test_channel_aliases_read_as_the_channel_code(written: str, code: str):
    assert channel_code(written) == code


@pytest.mark.parametrize(
    ("written", "kind"),
    [("ปีงบประมาณ", "fiscal_year"), ("Fiscal_Year", "fiscal_year"), ("ตัวชี้วัด", "indicator"),
     ("ข้อ OIT", "item"), ("ข้อคำถาม", "question"), ("หน่วยงาน", "organisation"), ("ไม่รู้", None)],
)  # fmt: skip
def test_kind_names_in_english_or_thai(written: str, kind: str | None):
    assert kind_name(written) == kind


def test_agency_types_and_results_read_without_any_translation_catalogue():
    with translation.override(None):  # gettext returns its input, as with no .mo at all
        assert agency_type_code("Special local government") == "special"
        assert agency_type_code("องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ") == "special"
        assert agency_type_code("อบต") == "sao"
        assert agency_type_code("Town Municipality") == "town"
        assert item_status_code("ผ่านบางส่วน") == "partial"
        assert item_status_code("ไม่ผ่าน") == "fail"
        assert item_status_code("บางที") is None


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("kind,code,score", ","),
        ("kind;code;score", ";"),
        ("kind\tcode\tscore", "\t"),
        ('"a;b",code,score', ","),  # a semicolon inside quotes does not count
        ("kind", ","),
    ],
)
def test_csv_delimiter_is_counted_on_the_header_line(line: str, delimiter: str):
    assert csv_delimiter(line + "\r\n1;2;3,4\r\n") == delimiter


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (THAI.encode("utf-8-sig"), "utf-8-sig"),
        (THAI.encode("utf-8"), "utf-8"),
        (THAI.encode("cp874"), "cp874"),
        (THAI.encode("tis-620"), "cp874"),
    ],
)
def test_csv_encodings_are_tried_strictly_in_order_and_reported(data: bytes, encoding: str):
    text, found = decode_csv(data)

    assert text.lstrip("\ufeff") == THAI
    assert found == encoding
    assert read_csv(data).headers == ["ประเภท", "รหัส", "คะแนน"]


def test_csv_in_utf16_is_refused_saying_what_to_save_it_as():
    with pytest.raises(SheetFileError, match="CSV UTF-8"):
        read_csv(THAI.encode("utf-16"))


@pytest.mark.parametrize(
    "written",
    [
        "อบต คลองหินปูน",
        "อบต.คลองหินปูน อำเภอวังน้ำเย็น จังหวัดสระแก้ว",
        "องค์การบริหารส่วนตำบลคลองหินปูน จ.สระแก้ว",
        "อบต.\u00adคลองหินปูน",
    ],
)
def test_organisation_names_with_place_or_dotless_short_form(written: str):
    assert normalise_organisation_name(written) == "องค์การบริหารส่วนตำบลคลองหินปูน"


def test_names_that_only_start_like_a_place_are_kept():
    assert normalise_organisation_name("เทศบาลเมืองจังหวัดใหม่") == "เทศบาลเมืองจังหวัดใหม่"
    assert organisation_key("ทม.สระแก้ว", "สระแก้ว") != organisation_key("อบจ.สระแก้ว", "สระแก้ว")


def test_closest_names_best_first_and_none_when_far():
    names = ["องค์การบริหารส่วนตำบลคลองหินปูน", "เทศบาลเมืองอรัญญประเทศ", "องค์การบริหารส่วนตำบลคลองน้ำใส"]

    assert closest_names("อบต.คลองหินปูล", names)[0] == names[0]
    assert closest_names("กรุงเทพมหานคร", names) == []


def test_results_diff_lists_new_changed_removed_and_counts_the_rest():
    old = ResultSet(
        overall=D("90.00"),
        indicators={1: IndicatorValue(D("98.07"), "เดิม"), 2: IndicatorValue(D("99.12"))},
        questions={("e1", "public"): D("89.76")},
        items={"o1": ItemValue(D("100"), "pass")},
    )
    new = ResultSet(
        overall=D("90.00"),
        indicators={1: IndicatorValue(D("97.00"), "เดิม"), 3: IndicatorValue(D("99.12"))},
        questions={("e1", "public"): D("89.76"), ("e1", "survey"): D("92")},
    )

    changes, summary = results_diff(old, new)

    found = {(c.what, c.change): (c.old, c.new) for c in changes}
    assert found[("indicator 1", ChangeKind.CHANGED)] == ("98.07 “เดิม”", "97.00 “เดิม”")
    assert found[("indicator 2", ChangeKind.REMOVED)] == ("99.12", "")
    assert found[("indicator 3", ChangeKind.NEW)] == ("", "99.12")
    assert found[("question e1 (survey)", ChangeKind.NEW)] == ("", "92.00")
    assert ("item o1", ChangeKind.REMOVED) in found
    assert (summary.new, summary.changed, summary.removed, summary.unchanged) == (2, 1, 2, 2)


@pytest.mark.django_db
def test_migration_0012_normalises_names_and_leaves_rows_that_share_a_key(capsys):
    import importlib

    from ita.models import Organisation

    migration = importlib.import_module("ita.migrations.0012_normalise_organisation_names")
    create = Organisation.objects.create
    lone = create(
        name="ทต. วัฒนา", province="จ.สระแก้ว", district="อ.วัฒนานคร", agency_type="subdistrict"
    )
    short = create(name="อบต.คลองหินปูน", province="จังหวัดสระแก้ว", agency_type="sao")
    full = create(name="องค์การบริหารส่วนตำบลคลองหินปูน", province="สระแก้ว", agency_type="sao")

    class Editor:
        class connection:
            alias = "default"

    migration.normalise_names(apps, Editor())

    lone.refresh_from_db()
    short.refresh_from_db()
    assert (lone.name, lone.province, lone.district) == ("เทศบาลตำบลวัฒนา", "สระแก้ว", "วัฒนานคร")
    assert (short.name, short.province) == ("อบต.คลองหินปูน", "จังหวัดสระแก้ว")  # left, reported
    assert Organisation.objects.count() == 3
    said = capsys.readouterr().out
    assert f"#{short.pk} อบต.คลองหินปูน" in said and f"#{full.pk}" in said


@pytest.mark.django_db
def test_organisation_form_stores_the_normalised_spelling():
    from ita.models import Organisation

    organisation = Organisation(name="ทม. สระแก้ว", province="จังหวัดสระแก้ว", agency_type="town")

    organisation.full_clean()

    assert (organisation.name, organisation.province) == ("เทศบาลเมืองสระแก้ว", "สระแก้ว")


@pytest.mark.django_db
def test_organisation_form_refuses_a_second_spelling_of_a_stored_organisation():
    from django.core.exceptions import ValidationError

    from ita.models import Organisation

    Organisation.objects.create(
        name="ทต.บ้านสาธิต", province="จังหวัดสาธิต", district="อำเภอสาธิต", agency_type="town"
    )  # stored before migration 0012, in another spelling
    again = Organisation(
        name="เทศบาลตำบล บ้านสาธิต", province="สาธิต", district="สาธิต", agency_type="town"
    )

    with translation.override("en"), pytest.raises(ValidationError, match=r"as “ทต\.บ้านสาธิต”"):
        again.full_clean()
