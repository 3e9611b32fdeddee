"""What people write in real Thai office files, read as the catalogue spells it (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ita.orgnames import (
    normalise_district,
    normalise_organisation_name,
    normalise_province,
    organisation_key,
)
from ita.sheets.cells import agency_type_code, fiscal_year_number, parse_score, result_code

FULL = "องค์การบริหารส่วนตำบลคลองหินปูน"


@pytest.mark.parametrize(
    "written",
    [FULL, "อบต.คลองหินปูน", "อบต. คลองหินปูน", "องค์การบริหารส่วนตำบล  คลองหินปูน ", "\u200bอบต.คลองหินปูน"],
)
def test_organisation_name_spellings_share_one_form(written: str) -> None:
    assert normalise_organisation_name(written) == FULL


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("ทต.วัฒนา", "เทศบาลตำบลวัฒนา"),
        ("ทม. สระแก้ว", "เทศบาลเมืองสระแก้ว"),
        ("ทน.นครราชสีมา", "เทศบาลนครนครราชสีมา"),
        ("อบจ.สระแก้ว", "องค์การบริหารส่วนจังหวัดสระแก้ว"),
    ],
)
def test_organisation_abbreviation_expands_to_type_name(short: str, full: str) -> None:
    assert normalise_organisation_name(short) == full


def test_province_and_district_prefixes_are_dropped() -> None:
    assert normalise_province("จังหวัดสระแก้ว") == "สระแก้ว"
    assert normalise_province("จ. สระแก้ว") == "สระแก้ว"
    assert normalise_province("สระแก้ว") == "สระแก้ว"
    assert normalise_district("อำเภอวัฒนานคร") == "วัฒนานคร"
    assert normalise_district("อ.วัฒนานคร") == "วัฒนานคร"


def test_organisation_key_matches_across_spellings() -> None:
    assert organisation_key("อบต.คลองหินปูน", "จังหวัดสระแก้ว") == organisation_key(FULL, "สระแก้ว")
    assert organisation_key("อบต.คลองหินปูน", "สระแก้ว") != organisation_key(
        "อบต.หนองตะเคียนบอน", "สระแก้ว"
    )


@pytest.mark.parametrize("written", ["o16", "๐๑๖", "016", "O16", "o016", "ข้อ o16", "16"])
def test_item_code_variants_read_as_catalogue_code(written: str) -> None:
    assert result_code(written, "item") == "o16"


@pytest.mark.parametrize("written", ["i1", "ข้อ i๑", "I01", "ข้อi1"])
def test_question_code_variants_read_as_catalogue_code(written: str) -> None:
    assert result_code(written, "question") == "i1"


def test_question_bare_number_stays_unread() -> None:
    # A bare number could be i or e: left as written, so the catalogue check refuses it.
    assert result_code("7", "question") == "7"


@pytest.mark.parametrize(
    "written", ["2568", "พ.ศ. 2568", "พ.ศ.2568", "ปีงบประมาณ ๒๕๖๘", 2568, 2568.0]
)
def test_fiscal_year_written_with_era_prefix(written: object) -> None:
    assert fiscal_year_number(written) == 2568


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("98.07%", Decimal("98.07")),
        ("96,50", Decimal("96.50")),
        ("๙๘.๐๗ %", Decimal("98.07")),
        ("96,5", Decimal("96.50")),
    ],
)
def test_score_with_percent_sign_or_decimal_comma(written: str, value: Decimal) -> None:
    assert parse_score(written) == (value, None)


def test_score_thousands_comma_still_refused() -> None:
    _score, message = parse_score("1,000")
    assert message is not None


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ", "special"),
        ("องค์การบริหารส่วนตำบล", "sao"),
        ("เทศบาลตำบล", "subdistrict"),
        ("อบต.", "sao"),
        ("ทต", "subdistrict"),
    ],
)
def test_agency_type_thai_names_match_without_catalogue(written: str, code: str) -> None:
    # Even with English active (no Thai catalogue lookup), the Thai names are data.
    from django.utils import translation

    with translation.override("en"):
        assert agency_type_code(written) == code
