"""The results spreadsheet's pure rules: reading, parsing, checking and writing (no database)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from ita.results import Catalogue, IndicatorValue, ItemValue, ResultSet
from ita.sheets import (
    COLUMNS,
    FormulaCell,
    IndicatorLabel,
    ItemLabel,
    QuestionLabel,
    SheetFileError,
    SheetLayout,
    SheetMeta,
    Table,
    ToolLabel,
    agency_type_code,
    cross_sheet_errors,
    escape_text,
    header_errors,
    parse_rows,
    parse_score,
    parse_table,
    read_csv,
    read_sheet_file,
    read_xlsx,
    sheet_rows,
    unescape_text,
    write_csv,
    write_xlsx,
)

D = Decimal
TOOLS = frozenset({"IIT", "EIT", "OIT"})
CATALOGUES = {
    2568: Catalogue(
        fiscal_year=2568,
        tools=TOOLS,
        indicators=frozenset(range(1, 11)),
        questions={
            "i1": frozenset(),
            "i2": frozenset(),
            "e1": frozenset({"public", "survey"}),
        },
        items=frozenset({"o1", "o2", "o16"}),
    ),
    2564: Catalogue(
        fiscal_year=2564,
        tools=TOOLS,
        indicators=frozenset(range(1, 11)),
        questions={"i1": frozenset(), "i20": frozenset()},
        items=frozenset({"o40"}),
    ),
}


def row(kind: str = "", code: object = "", channel: str = "", **values: object) -> dict:
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(kind=kind, code=code, channel=channel, **values)
    return cells


def meta(year: object = 2568, **changes: object) -> list[dict]:
    texts = {
        "fiscal_year": year,
        "organisation": "องค์การบริหารส่วนตำบลคลองหินปูน",
        "district": "วังน้ำเย็น",
        "province": "สระแก้ว",
        "agency_type": "องค์การบริหารส่วนตำบล",
    }
    texts.update(changes)
    return [row(kind, text=text) for kind, text in texts.items() if text is not None]


GOOD = [
    *meta(),
    row("overall", score="94.39", label="คะแนนรวม"),
    row("level", text="ผ่านดี"),
    row("tool", "IIT", score=D("97.54")),
    row("indicator", 1, score=98.07, text="วิเคราะห์ตัวชี้วัดที่ 1"),
    row("question", "i1", score="96.32"),
    row("question", "e1", "public", score="89.76"),
    row("question", "e1", "survey", score="92.00"),
    row("item", "o16", score=50, status="partial", text="ได้คะแนน 50.00 คะแนน"),
]


def parse(rows: list[dict]):
    return parse_rows(rows, years=set(CATALOGUES), catalogue_for=CATALOGUES.get, title="t")


def english(sheet) -> list[str]:
    return [str(e.message) for e in sheet.errors]


def test_parse_rows_reads_meta_and_every_kind_of_value():
    sheet = parse(GOOD)

    assert sheet.errors == []
    assert sheet.meta == SheetMeta(
        fiscal_year=2568,
        organisation="องค์การบริหารส่วนตำบลคลองหินปูน",
        province="สระแก้ว",
        district="วังน้ำเย็น",
        agency_type="sao",
    )
    assert sheet.results == ResultSet(
        overall=D("94.39"),
        level="ผ่านดี",
        tools={"IIT": D("97.54")},
        indicators={1: IndicatorValue(D("98.07"), "วิเคราะห์ตัวชี้วัดที่ 1")},
        questions={
            ("i1", None): D("96.32"),
            ("e1", "public"): D("89.76"),
            ("e1", "survey"): D("92.00"),
        },
        items={"o16": ItemValue(D("50.00"), "partial", "ได้คะแนน 50.00 คะแนน")},
    )


def test_parse_rows_skips_blank_rows_and_rows_with_only_a_label():
    rows = [*GOOD[:3], row(), row(label="ส่วนที่ 2: คะแนน"), *GOOD[3:], row("item", "o2")]

    sheet = parse(rows)

    assert sheet.ok
    assert sheet.row_count == len(GOOD) + 1
    assert "o2" not in sheet.results.items  # a template row left empty


def test_parse_rows_accepts_thai_digits_codes_in_any_case_and_short_agency_names():
    rows = [
        *meta(year="๒๕๖๘", agency_type="อบต."),
        row("question", "I1", score="๙๖.๓๒"),
        row("indicator", "๑", score="98.070"),
        row("tool", "iit", score=97),
        row("item", "O1", status="ผ่าน"),
    ]

    sheet = parse(rows)

    assert sheet.errors == []
    assert sheet.meta.fiscal_year == 2568
    assert sheet.meta.agency_type == "sao"
    assert sheet.results.questions == {("i1", None): D("96.32")}
    assert sheet.results.indicators[1].score == D("98.07")
    assert sheet.results.tools == {"IIT": D("97.00")}
    assert sheet.results.items["o1"].status == "pass"


BAD_ROWS = [
    (row("wibble"), "Unknown kind “wibble”"),
    (row("", "o2", score=50), "The kind column is empty"),
    (row("tool", "XYZ", score=50), "There is no tool XYZ in 2568"),
    (row("indicator", 11, score=50), "There is no indicator 11 in 2568"),
    (row("indicator", "หนึ่ง", score=50), "Indicator code “หนึ่ง” is not a whole number"),
    (row("question", "i99", score=50), "Question i99 is not in the 2568 framework"),
    (row("question", "i20", score=50), "Question i20 belongs to the 2564 framework"),
    (row("question", "e1", score=50), "Question e1 needs a channel: public, survey"),
    (row("question", "i2", "public", score=50), "Question i2 has no channel public"),
    (row("item", "o99", score=50), "There is no OIT item o99 in 2568"),
    (row("item", "o40", score=50), "OIT item o40 belongs to the 2564 framework"),
    (row("item", "o2", score="ดี"), "Score “ดี” is not a number"),
    (row("item", "o2", score=101), "Score 101 is outside 0–100"),
    (row("item", "o2", score=-5), "Score -5 is outside 0–100"),
    (row("item", "o2", score="94.385"), "Score 94.385 has more than 2 decimals"),
    (row("item", "o2", score="=SUM(E2:E3)"), "Column score holds a formula"),
    (row("item", "o2", score=FormulaCell("=E2*2")), "Column score holds a formula (=E2*2)"),
    (row("item", "o2", status="maybe"), "Item o2: unknown result “maybe”"),
    (row("item", "o2", "public", score=50), "Column channel is not used in item rows"),
    (row("tool", "OIT", score=50, text="x"), "Column text is not used in tool rows"),
    (row("question", "i1", score=90), "Duplicate row: question i1 is already given in row 11"),
    (row("question", "e1", "public", score=90), "question e1 (public) is already given in row 12"),
    (row("overall", score=90), "Duplicate row: overall is already given in row 7"),
    (row("organisation", text="อื่น"), "Duplicate row: organisation is already given in row 3"),
    (row("tool", "", score=50), "A tool row needs a code"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS, ids=[m for _, m in BAD_ROWS])
def test_parse_rows_refuses_a_bad_last_row_with_its_row_number(bad, message):
    sheet = parse([*GOOD, bad])

    assert not sheet.ok
    assert [(e.row, message in e.message) for e in sheet.errors] == [(len(GOOD) + 2, True)]


@pytest.mark.parametrize(
    ("changes", "row_number", "message"),
    [
        ({"year": 2025}, 2, "2025 looks like a Gregorian (A.D.) year: use the Buddhist year 2568"),
        (
            {"year": 2570},
            2,
            "There is no ITA framework for fiscal year 2570 (known years: 2564, 2568)",
        ),
        ({"year": "ปีนี้"}, 2, "The fiscal year “ปีนี้” is not a whole number"),
        ({"year": None}, None, "The sheet has no fiscal_year row"),
        ({"organisation": None}, None, "The sheet has no organisation row"),
        ({"province": ""}, 5, "The province row is empty: it is required"),
        ({"agency_type": "บริษัท"}, 6, "Unknown agency type “บริษัท”: use one of pao"),
    ],
)
def test_parse_rows_refuses_missing_or_invalid_meta(changes, row_number, message):
    sheet = parse([*meta(**changes), row("overall", score="94.39")])

    assert sheet.meta is None
    assert [e.row for e in sheet.errors] == [row_number]
    assert message in sheet.errors[0].message


def test_parse_rows_lists_every_error_in_row_order():
    rows = [*GOOD, row("item", "o2", score=150), row("wibble"), row("tool", "XYZ")]

    sheet = parse(rows)

    assert [e.row for e in sheet.errors] == [15, 16, 17]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("94.39", D("94.39")),
        (" 100 ", D("100.00")),
        (98.07, D("98.07")),
        (0, D("0.00")),
        ("๙๐.๕๕", D("90.55")),
        ("98.070", D("98.07")),
        ("", None),
        (None, None),
    ],
)
def test_parse_score_reads_numbers_text_and_thai_digits(cell, expected):
    assert parse_score(cell) == (expected, None)


@pytest.mark.parametrize("cell", ["ดี", "90,505", "1e2", "NaN", True, "9_0", float("inf")])
def test_parse_score_refuses_what_is_not_a_plain_number(cell):
    value, error = parse_score(cell)

    assert value is None
    assert "is not a number" in error


@pytest.mark.parametrize(
    "text", ["=1+1", "+66 81", "-มีการขอยืม", "@user", "\tx", "'=1+1", "''-x", "'ok", "ปกติ", ""]
)
def test_escape_text_neutralises_formulas_and_unescape_restores_the_text(text):
    escaped = escape_text(text)

    assert escaped[:1] not in ("=", "+", "-", "@", "\t")
    assert unescape_text(escaped) == text


def test_write_csv_has_a_bom_neutralised_formulas_and_reads_back_losslessly():
    rows = [row("indicator", 8, score=D("90.31"), text='=HYPERLINK("x") "ภาษาไทย"\nบรรทัด 2')]

    data = write_csv(rows)
    table = read_csv(data)

    assert data.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in data.decode("utf-8-sig")
    assert table.headers == list(COLUMNS)
    assert table.rows == [["indicator", "8", "", "", "90.31", "", rows[0]["text"]]]


def test_write_xlsx_stores_formula_like_text_as_text():
    rows = [row("item", "o27", score=D("50.00"), text="=1+1"), row("level", text="-ผ่าน")]

    book = openpyxl.load_workbook(io.BytesIO(write_xlsx([("2568 ทดสอบ", rows)])))
    sheet = book.active

    assert sheet.title == "2568 ทดสอบ"
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert (sheet["G2"].value, sheet["G2"].data_type, sheet["G2"].quotePrefix) == (
        "=1+1",
        "s",
        True,
    )
    assert sheet["E2"].value == 50
    assert sheet["G3"].value == "-ผ่าน"


def test_read_xlsx_returns_formulas_and_every_non_empty_worksheet():
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    book.active.append(["overall", None, None, None, "=AVERAGE(1,2)"])
    book.create_sheet("empty")
    second = book.create_sheet("second")
    second.append(list(COLUMNS))
    second.append(["level", None, None, None, None, None, "ผ่านดี"])
    second.append([])
    buffer = io.BytesIO()
    book.save(buffer)

    tables = read_xlsx(buffer.getvalue())

    assert [t.title for t in tables] == ["Sheet", "second"]
    assert tables[0].rows[0][4] == FormulaCell("=AVERAGE(1,2)")
    assert tables[1].rows == [["level", None, None, None, None, None, "ผ่านดี"]]


def test_read_csv_accepts_a_file_saved_by_thai_windows_excel():
    data = "kind,code,text\r\norganisation,,อบต.คลองหินปูน\r\n".encode("cp874")

    table = read_csv(data)

    assert table.rows == [["organisation", "", "อบต.คลองหินปูน"]]


def test_read_sheet_file_refuses_other_files_with_a_clear_message():
    with pytest.raises(SheetFileError, match=r"Only \.xlsx and \.csv files"):
        read_sheet_file("results.pdf", b"%PDF")
    with pytest.raises(SheetFileError, match="not an XLSX workbook"):
        read_sheet_file("results.xlsx", b"not a zip")
    with pytest.raises(SheetFileError, match="holds no data"):
        read_sheet_file("results.csv", b"\r\n\r\n")


def test_header_errors_name_unknown_missing_and_repeated_columns():
    errors = header_errors(["kind", "คะแนนดิบ", "kind", "", "score"], [["x", "1", "", "y", ""]])

    assert len(errors) == 4
    assert "Unknown column “คะแนนดิบ” (cell B1)" in errors[0]
    assert "Column kind appears twice" in errors[1]
    assert "A column without a heading holds values (column 4)" in errors[2]
    assert "Column code is missing" in errors[3]


def test_parse_table_reports_column_errors_on_row_one():
    table = Table("t", ["kind", "score", "note"], [["overall", "90", "x"]])

    sheet = parse_table(table, years={2568}, catalogue_for=CATALOGUES.get)

    assert sheet.errors[0].row == 1
    assert "Unknown column “note”" in sheet.errors[0].message


def test_cross_sheet_errors_refuse_the_same_assessment_twice():
    first, second = parse(GOOD), parse(GOOD)
    second.title = "copy"

    errors = cross_sheet_errors([first, second])

    assert [(e.sheet, e.row) for e in errors] == [("copy", None)]
    assert "is also in sheet “t”" in errors[0].message


LAYOUT = SheetLayout(
    fiscal_year=2568,
    tools=(ToolLabel("IIT", "ภายใน"), ToolLabel("EIT", "ภายนอก")),
    indicators=(
        IndicatorLabel(1, "การปฏิบัติหน้าที่", "IIT", questions=(QuestionLabel("i1", ""),)),
        IndicatorLabel(
            6,
            "คุณภาพการดำเนินงาน",
            "EIT",
            questions=(QuestionLabel("e1", "", (("public", "ออนไลน์"), ("survey", "สำรวจ"))),),
        ),
        IndicatorLabel(9, "การเปิดเผยข้อมูล", "OIT", items=(ItemLabel("o1", "โครงสร้าง"),)),
    ),
)


def test_sheet_rows_template_lists_every_code_with_labels_and_no_scores():
    rows = sheet_rows(LAYOUT, None, None)

    keys = [(r["kind"], r["code"], r["channel"]) for r in rows]
    assert keys[:8] == [
        (k, "", "")
        for k in (
            "fiscal_year",
            "organisation",
            "district",
            "province",
            "agency_type",
            "note",
            "overall",
            "level",
        )
    ]
    assert keys[8:] == [
        ("tool", "IIT", ""),
        ("tool", "EIT", ""),
        ("indicator", 1, ""),
        ("question", "i1", ""),
        ("indicator", 6, ""),
        ("question", "e1", "public"),
        ("question", "e1", "survey"),
        ("indicator", 9, ""),
        ("item", "o1", ""),
    ]
    assert rows[0]["text"] == 2568
    assert {r["score"] for r in rows} == {""}
    assert rows[-1]["label"] == "โครงสร้าง"
    assert rows[-4]["label"] == "6. คุณภาพการดำเนินงาน – ออนไลน์"


def test_sheet_rows_of_results_parse_back_to_the_same_results():
    meta_ = SheetMeta(2568, "อบต.ทดสอบ", "สระแก้ว", "sao", "เมือง", note="")
    results = ResultSet(
        overall=D("94.39"),
        level="ผ่านดี",
        tools={"EIT": D("91.59")},
        indicators={6: IndicatorValue(D("93.92"), "+ข้อสังเกต")},
        questions={("e1", "public"): D("89.76"), ("e1", "survey"): D("92.00")},
        items={"o1": ItemValue(None, "fail", "ไม่พบข้อมูล")},
    )
    rows = sheet_rows(LAYOUT, meta_, results)
    table = read_csv(write_csv(rows))

    sheet = parse_table(table, years=set(CATALOGUES), catalogue_for=CATALOGUES.get)

    assert sheet.errors == []
    assert (sheet.meta, sheet.results) == (meta_, results)


def test_agency_type_code_reads_codes_thai_and_english_names():
    assert agency_type_code("SAO") == "sao"
    assert agency_type_code("Town Municipality") == "town"
    assert agency_type_code("ทต") == "subdistrict"
    assert agency_type_code("บริษัท") is None
