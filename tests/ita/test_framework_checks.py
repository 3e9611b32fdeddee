"""The rules a framework file must meet (pure: no database)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from ita.frameworks.checks import diff, validate
from ita.frameworks.files import (
    BandRow,
    FrameworkFileError,
    FrameworkRow,
    FrameworkSpec,
    IndicatorRow,
    ItemRow,
    QuestionRow,
    ToolRow,
    read_tables,
    read_xlsx,
    write_xlsx,
)

GOOD = FrameworkSpec(
    framework=FrameworkRow(2569, "ita-10", "ITA 2569", "provisional"),
    tools=(
        ToolRow("IIT", "แบบวัดภายใน", "Internal", D("30"), "question_mean", 1),
        ToolRow("EIT", "แบบวัดภายนอก", "External", D("30"), "channel_mean", 2),
        ToolRow("OIT", "แบบตรวจ", "Open data", D("40"), "published_only", 3),
    ),
    bands=(
        BandRow("ผ่านดี", D("85"), D("85"), True, 1),
        BandRow("ผ่าน", D("85"), None, True, 2),
        BandRow("ไม่ผ่าน", D("0"), None, False, 3),
    ),
    indicators=(IndicatorRow(1, "การปฏิบัติหน้าที่", "Duties", "IIT"),),
    questions=(QuestionRow("i1", 1, 1),),
    items=(ItemRow("o1", 1, "โครงสร้าง", 1, document_role="improvement_measures"),),
)


def test_validate_accepts_a_good_spec():
    assert validate(GOOD) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tools": (*GOOD.tools, GOOD.tools[0])}, "appears more than once"),
        ({"tools": (*GOOD.tools[:2], replace(GOOD.tools[2], weight=D("30")))}, "not 100"),
        ({"tools": (replace(GOOD.tools[0], aggregation="median"), *GOOD.tools[1:])}, "median"),
        ({"bands": GOOD.bands[:2]}, "gap"),
        (
            {
                "bands": (
                    *GOOD.bands[:2],
                    replace(GOOD.bands[1], label="ซ้ำ", order=4),
                    GOOD.bands[2],
                )
            },
            "overlap",
        ),
        ({"indicators": (IndicatorRow(1, "Duties", "การปฏิบัติหน้าที่", "IIT"),)}, "swapped"),
        ({"indicators": (IndicatorRow(1, "การปฏิบัติหน้าที่", "Duties ไทย", "IIT"),)}, "contains Thai"),
        ({"indicators": (IndicatorRow(1, "Duties", "", "IIT"),)}, "has no Thai"),
        (
            {"items": (*GOOD.items, ItemRow("o2", 1, "x", document_role="improvement_measures"))},
            "appears more than once",
        ),
        ({"items": (ItemRow("o1", 7, "x"),)}, "is not in the file"),
        ({"items": (ItemRow("o1", 1, "x", data_year="someday"),)}, "someday"),
    ],
)
def test_validate_refuses_bad_input_in_thai_and_english(change, expected):
    errors = validate(replace(GOOD, **change))

    assert any(expected in e for e in errors), errors
    assert all(" / " in e for e in errors)  # Thai, then English


def test_read_tables_refuses_missing_sheets_and_columns():
    tables = {"กรอบการประเมิน": [["ปีงบประมาณ"], [2569]]}

    with pytest.raises(FrameworkFileError) as error:
        read_tables(tables)

    text = "\n".join(error.value.messages)
    assert "เครื่องมือ" in text and "has no sheet" in text
    assert "lacks the column(s)" in text and "ชื่อกรอบการประเมิน" in text


def test_xlsx_round_trip_keeps_every_row():
    assert read_xlsx(write_xlsx(GOOD)) == GOOD


def test_diff_lists_added_changed_and_removed_rows():
    new = replace(
        GOOD,
        tools=(replace(GOOD.tools[0], name_en="Inside"), *GOOD.tools[1:]),
        questions=(QuestionRow("i2", 1, 2),),
    )

    changes = {(c.sheet, c.key, c.kind): c for c in diff(GOOD, new)}

    assert set(changes) == {
        ("เครื่องมือ", "IIT", "changed"),
        ("ข้อคำถาม", "i2", "added"),
        ("ข้อคำถาม", "i1", "removed"),
    }
    field = changes[("เครื่องมือ", "IIT", "changed")].fields[0]
    assert (field.column, field.old, field.new) == ("ชื่อ (อังกฤษ)", "Internal", "Inside")
