"""The streaming XLSX reader (`ita.sheets.xlsx`) against openpyxl's read-only reader it
replaced: the same tables, or the same refusal, for every workbook the tests know, and the
cell rules one by one on worksheet XML written by hand."""

from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest

from ita.sheets import FormulaCell, SheetFileError, read_xlsx, write_xlsx
from ita.sheets.export import assessments_for_export, export_xlsx, template_rows
from tests.badinput.accepted import ACCEPTED
from tests.badinput.corpus import CASES, good_rows, with_dimension
from tests.badinput.openpyxl_reader import read_xlsx_openpyxl
from tests.ita.sheet_data import save_fictional, save_khp

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
XLSX_CASES = [c for c in [*CASES, *ACCEPTED] if c.name.endswith(".xlsx")]


def outcome(read, data: bytes) -> tuple[str, object]:
    try:
        tables = read(data)
    except SheetFileError as exc:
        return "refused", str(exc)
    return "read", [(t.title, t.headers, t.rows) for t in tables]


def same(data: bytes) -> tuple[str, object]:
    new = outcome(read_xlsx, data)
    assert new == outcome(read_xlsx_openpyxl, data)
    return new


@pytest.mark.django_db
@pytest.mark.parametrize("case", XLSX_CASES, ids=[c.id for c in XLSX_CASES])
def test_corpus_workbooks_read_as_openpyxl_read_them(case):
    data = case.build()

    kind, found = same(data)

    if case in ACCEPTED:
        assert kind == "read" and found
    elif kind == "refused":  # the rest are refused by the reader or, read, by the parser
        assert case.expected in str(found)


@pytest.mark.django_db
def test_exports_and_templates_read_as_openpyxl_read_them(framework_2568):
    save_khp()
    save_fictional(2564)
    save_fictional(2567, name="เทศบาลตำบลบ้านสาธิต (ข้อมูลสมมติ)")
    export = export_xlsx(list(assessments_for_export()))
    template = write_xlsx([("2568", template_rows(framework_2568))])

    kind, tables = same(export)
    same(template)
    same(with_dimension(export, "A1:B2"))

    assert kind == "read" and len(tables) == 3


# --- worksheet XML written by hand ---------------------------------------------------------


def _base() -> bytes:
    """A workbook whose style 1 is a date."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "s"
    sheet["A1"] = datetime.datetime(2025, 1, 2)
    sheet["A2"] = "text"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(
    rows: str, strings: str | None = None, head: str = "", strings_head: str = ""
) -> bytes:
    """The base workbook with its sheet's `<sheetData>` (and shared strings) replaced."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<worksheet xmlns="{MAIN}">'
        f'<dimension ref="A1"/><sheetData>{rows}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_base())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = sheet.encode()
            elif entry.filename == "[Content_Types].xml" and strings is not None:
                content = content.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            archive.writestr(entry, content)
        if strings is not None:
            part = f'{strings_head}<sst xmlns="{MAIN}">{strings}</sst>'
            archive.writestr("xl/sharedStrings.xml", part.encode())
    return buffer.getvalue()


def rows_of(data: bytes) -> list[list[object]]:
    kind, tables = same(data)
    assert kind == "read", tables
    ((_title, headers, rows),) = tables
    return [headers, *rows]


def test_shared_strings_plain_rich_and_escaped():
    strings = (
        "<si><t>kind</t></si>"
        '<si><r><t>ผล</t></r><r><rPr><b/></rPr><t xml:space="preserve"> ดี</t></r></si>'
        '<si><t>a_x005F_b</t><rPh sb="0" eb="1"><t>x</t></rPh></si>'
        "<si><t/></si>"
    )
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    rows += '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c>'
    rows += '<c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>-4</v></c></row>'

    assert rows_of(workbook(rows, strings)) == [
        ["kind", "", "", ""],
        ["ผล ดี", "a_b", "", "kind"],  # a negative index counts from the end, as before
    ]


def test_inline_strings_booleans_numbers_errors_and_str_cells():
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>kind</t></is></c></row>'
    rows += '<row r="2"><c r="A2" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>'
    rows += '<c r="B2" t="b"><v>1</v></c><c r="C2"><v>2568</v></c><c r="D2"><v>98.07</v></c>'
    rows += '<c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="str"><v>x</v></c>'
    rows += '<c r="G2" t="inlineStr"/><c r="H2"><v>1E2</v></c></row>'

    assert rows_of(workbook(rows))[1] == ["ab", True, 2568, 98.07, "#N/A", "x", None, 100.0]


def test_cells_without_references_follow_the_one_before():
    rows = '<row><c t="inlineStr"><is><t>kind</t></is></c><c/><c><v>3</v></c></row>'
    rows += '<row><c r="B2"><v>1</v></c><c><v>2</v></c></row>'

    assert rows_of(workbook(rows)) == [["kind", "", "3"], [None, 1, 2]]


def test_empty_cells_missing_rows_and_rows_out_of_order():
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>kind</t></is></c><c r="C1"/></row>'
    rows += '<row r="4"><c r="B4"><v>4</v></c></row>'
    rows += '<row r="3"><c r="A3"><v>3</v></c></row>'  # goes backwards: skipped, as before
    rows += '<row r="5"><c r="C5"><v>5</v></c><c r="A5"><v>6</v></c></row>'  # last cell sets width

    assert rows_of(workbook(rows)) == [
        ["kind", "", ""],
        [None, None, None],
        [None, None, None],
        [None, 4, None],
        [6, None, None],
    ]


def test_a_lying_dimension_does_not_shorten_the_sheet():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 8))

    assert [r[0] for r in rows_of(workbook(rows))] == ["1", 2, 3, 4, 5, 6, 7]


def test_date_styles_read_as_dates_and_formulas_as_formula_cells():
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>kind</t></is></c></row>'
    rows += '<row r="2"><c r="A2" s="1"><v>45659</v></c><c r="B2"><f>SUM(A1:A2)</f><v>3</v></c>'
    rows += '<c r="C2"><f t="shared" ref="C2:C3" si="0">A2+1</f></c></row>'
    rows += '<row r="3"><c r="C3"><f t="shared" si="0"/></c></row>'

    found = rows_of(workbook(rows))

    assert found[1] == [datetime.datetime(2025, 1, 2), FormulaCell("=SUM(A1:A2)"),
                        FormulaCell("=A2+1")]  # fmt: skip
    assert found[2] == [None, None, FormulaCell("=A3+1")]


def test_bad_cell_values_are_refused_as_before():
    for cell in ('<c r="A2" t="s"><v>99</v></c>', '<c r="A2"><v>abc</v></c>', '<c r="A2" s="x"/>'):
        kind, message = same(workbook(f'<row r="1"><c r="A1"><v>1</v></c></row><row>{cell}</row>'))

        assert kind == "refused" and "not an XLSX workbook" in str(message)


@pytest.mark.parametrize(
    "head",
    [
        '<!DOCTYPE worksheet [<!ENTITY big "kind">]>',
        '<!DOCTYPE worksheet SYSTEM "http://example.com/x.dtd">',
    ],
)
def test_a_doctype_in_a_worksheet_is_refused(head):
    data = workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>kind</t></is></c></row>', head=head)

    with pytest.raises(SheetFileError, match="not an XLSX workbook"):
        read_xlsx(data)


def test_an_entity_in_the_shared_strings_is_refused():
    data = workbook(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        strings="<si><t>kind &a;</t></si>",
        strings_head='<!DOCTYPE sst [<!ENTITY a "b">]>',
    )

    with pytest.raises(SheetFileError, match="not an XLSX workbook"):
        read_xlsx(data)


@pytest.mark.django_db
def test_a_large_export_reads_the_same_rows_as_openpyxl():
    rows = good_rows()
    data = write_xlsx([(f"{n}", rows) for n in range(40)])

    kind, tables = same(data)

    assert kind == "read" and len(tables) == 40 and tables[0][2][-1][0] == rows[-1]["kind"]


def test_cell_references_kept_for_later_sheets_stay_bounded():
    from ita.sheets.xlsx import COORDINATES_KEPT, open_workbook

    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>{n}</v></c></row>'
        for n in range(1, 2 * COORDINATES_KEPT)
    )
    book = open_workbook(workbook(rows))

    ((_title, part),) = book.sheets
    read = list(book.rows(part))
    book.close()

    last = 2 * COORDINATES_KEPT - 1
    assert len(read) == last and read[-1] == [last, last]
    assert 0 < len(book.book.coordinates) <= COORDINATES_KEPT
