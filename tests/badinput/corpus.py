"""Broken results spreadsheets, built by code from a good 2568 sheet (no binary files to keep).

Each case is a file as a user could upload it, and the words (English half of the bilingual
message) the refusal must contain. `good_rows()` needs the database (the year's layout).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl

from ita.sheets import SheetMeta, sheet_rows, write_csv, write_xlsx
from ita.sheets.cells import COLUMNS, MAX_ROWS
from ita.sheets.export import framework_for_template, sheet_layout
from tests.ita.sheet_data import KHP_NAME, khp_results

# The hostile-file limits the refusals name, written out so a changed limit shows here.
MAX_FILE_BYTES = 2_000_000
MAX_ENTRIES = 500
MAX_CELLS = 200_000
KHP_META = SheetMeta(2568, KHP_NAME, "สระแก้ว", "sao", "วังน้ำเย็น", note="")


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    build: Callable[[], bytes]
    expected: str  # part of the refusal message (English)
    cell: str = ""  # the cell the refusal names, as "E12 (score)", when it names one


def confirm_data(preview: object, *, tick: bool = True) -> dict[str, object]:
    """The confirm form a user would send from an admin preview: its hidden fields, and
    with `tick` the "create a new organisation" box of every organisation not yet stored."""
    context = preview.context  # type: ignore[attr-defined]
    data: dict[str, object] = dict(context["confirm_form"].initial)
    if tick:
        data["create_organisation"] = [
            p.outcome.match.key
            for p in context.get("ita_previews", [])
            if p.outcome.match and p.outcome.match.existing is None
        ]
    return data


def good_rows() -> list[dict]:
    return sheet_rows(sheet_layout(framework_for_template(2568)), KHP_META, khp_results())


def _table(rows: list[dict]) -> list[list[object]]:
    return [list(COLUMNS), *[[row.get(c) for c in COLUMNS] for row in rows]]


def _xlsx(table: list[list[object]], edit: Callable[[object], None] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2568"
    for row in table:
        sheet.append([None if v == "" else v for v in row])
    for cells in sheet.iter_rows():  # texts such as "=HYPERLINK(...)" stay texts, as Excel
        for cell in cells:  # would keep them when typed after an apostrophe
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(table: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(["" if v is None else v for v in row] for row in table)
    return buffer.getvalue().encode(encoding)


def _first(rows: list[dict], kind: str) -> int:
    return next(i for i, r in enumerate(rows) if r["kind"] == kind)


def _with_score(value: object) -> Callable[[], bytes]:
    def build() -> bytes:
        rows = good_rows()
        rows[_first(rows, "indicator")]["score"] = value
        return _csv(_table(rows))

    return build


def _merged() -> bytes:
    """Someone merged the `kind` cells of two indicator rows: the second row loses its kind."""
    rows = good_rows()
    first = _first(rows, "indicator") + 2  # +1 header, +1 Excel counts from 1

    def merge(sheet: object) -> None:
        sheet.merge_cells(f"A{first}:A{first + 1}")  # type: ignore[attr-defined]

    return _xlsx(_table(rows), merge)


def _formula() -> bytes:
    rows = good_rows()
    first = _first(rows, "indicator") + 2

    def formula(sheet: object) -> None:
        sheet[f"E{first}"] = "=AVERAGE(E20:E30)"  # type: ignore[index]

    return _xlsx(_table(rows), formula)


def _too_many_rows() -> bytes:
    rows = good_rows()
    extra = [{"kind": "note", "text": f"แถวที่ {n}"} for n in range(MAX_ROWS)]
    return _csv(_table(rows + extra))


def _huge_xlsx() -> bytes:
    rows = good_rows()
    extra = [{"kind": "question", "code": f"i{n}", "score": 50} for n in range(MAX_ROWS + 10)]
    return write_xlsx([("2568", rows + extra)])


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with every sheet's stored `<dimension>` replaced by `ref` (say "A1:G4"),
    as some programs write it wrong: readers that trust it see only those rows."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            archive.writestr(entry, content)
    return buffer.getvalue()


def zip_bomb(size: int = 1_000_000_000) -> bytes:
    """A workbook-looking zip whose one sheet unpacks to `size` bytes of zeros (about 1 MB
    on disk for the default 1 GB), written in chunks so building it stays small."""
    good = write_xlsx([("2568", [])])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entry in source.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry, source.read(entry))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * 1_000_000
            for _ in range(size // len(chunk)):
                sheet.write(chunk)
    return buffer.getvalue()


def _many_entries() -> bytes:
    good = write_xlsx([("2568", good_rows())])
    buffer = io.BytesIO(good)
    with zipfile.ZipFile(buffer, "a") as archive:
        for n in range(MAX_ENTRIES):
            archive.writestr(f"xl/media/padding{n}.bin", b"")
    return buffer.getvalue()


def _dense_entry() -> bytes:
    """Under the total size limit, but one entry compressed far more than any sheet XML."""
    good = write_xlsx([("2568", good_rows())])
    buffer = io.BytesIO(good)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/blank.bin", b" " * 10_000_000)
    return buffer.getvalue()


def _too_many_cells() -> bytes:
    def wide(sheet: object) -> None:
        # Excel's widest row has 16,384 cells; a blank in its last column fills the row.
        for row in range(2, 3 + MAX_CELLS // 16_384):
            sheet.cell(row=row, column=16_384, value=" ")  # type: ignore[attr-defined]

    return _xlsx(_table(good_rows()), wide)


def _long_csv() -> bytes:
    """A valid sheet padded with blank rows past the size limit."""
    data = _csv(_table(good_rows()))
    return data + b",,,,,,\r\n" * (MAX_FILE_BYTES // 8 + 1)


def _csv_with_text(character: str) -> Callable[[], bytes]:
    def build() -> bytes:
        rows = good_rows()
        indicator = rows[_first(rows, "indicator")]
        indicator["text"] = f"ผลคะแนน{character}ดี"
        return _csv(_table(rows))

    return build


def _duplicate_row() -> bytes:
    rows = good_rows()
    return write_csv([*rows, rows[_first(rows, "indicator")]])


def _edited(kind: str, column: str, value: object, *, delimiter: str = ",") -> Callable[[], bytes]:
    """The good sheet with one cell of the first `kind` row replaced by `value`."""

    def build() -> bytes:
        rows = good_rows()
        rows[_first(rows, kind)][column] = value
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=delimiter).writerows(
            ["" if v is None else v for v in row] for row in _table(rows)
        )
        return buffer.getvalue().encode("utf-8-sig")

    return build


def _question_channel(channel: str) -> Callable[[], bytes]:
    def build() -> bytes:
        rows = good_rows()
        index = next(i for i, r in enumerate(rows) if r["kind"] == "question" and r["channel"])
        rows[index]["channel"] = channel
        return _csv(_table(rows))

    return build


def _semicolon_bad_header() -> bytes:
    table = _table(good_rows())
    table[0] = ["ประเภท", "รหัสผิด", *table[0][2:]]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";").writerows(
        ["" if v is None else v for v in row] for row in table
    )
    return buffer.getvalue().encode("utf-8-sig")


CASES = [
    Case("empty-csv", "empty.csv", lambda: b"", "holds no data"),
    Case("empty-xlsx", "empty.xlsx", lambda: b"", "not an XLSX workbook"),
    Case("blank-workbook", "blank.xlsx", lambda: _xlsx([]), "holds no data"),
    Case(
        "utf16-csv",
        "utf16.csv",
        lambda: _csv(_table(good_rows()), "utf-16"),
        "neither UTF-8 nor Thai Windows",
    ),
    Case("latin1-garbage", "bad.csv", lambda: bytes(range(128, 256)) * 4, "neither UTF-8"),
    Case("xls-extension", "old.xls", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Only .xlsx"),
    Case("no-extension", "results", lambda: _csv(_table(good_rows())), "Only .xlsx"),
    Case("garbage-xlsx", "garbage.xlsx", lambda: b"PK\x03\x04garbage" * 50, "not an XLSX"),
    Case("zip-not-xlsx", "archive.xlsx", _zip_not_xlsx, "not an XLSX"),
    Case("csv-named-xlsx", "sheet.xlsx", lambda: _csv(_table(good_rows())), "not an XLSX"),
    Case("merged-cells", "merged.xlsx", _merged, "kind column is empty"),
    Case("formula-score", "formula.xlsx", _formula, "formula"),
    Case("thai-word-score", "word.csv", _with_score("เก้าสิบ"), "is not a number"),
    Case("thousands-comma-score", "comma.csv", _with_score("1,000"), "is not a number"),
    Case("na-score", "na.csv", _with_score("N/A"), "is not a number"),
    Case("out-of-range-score", "range.csv", _with_score("150"), "is outside 0–100"),
    Case("negative-score", "negative.csv", _with_score("-3"), "is outside 0–100"),
    Case("too-many-rows-csv", "long.csv", _too_many_rows, "more than 5000 rows"),
    Case("too-many-rows-xlsx", "long.xlsx", _huge_xlsx, "more than 5000 rows"),
    Case(
        "wrong-columns",
        "columns.csv",
        lambda: _csv([["ลำดับที่", "คะแนนดิบ"], ["อบต.", "90"]]),
        "Unknown column",
    ),
    Case("header-only", "header.csv", lambda: _csv([list(COLUMNS)]), "fiscal_year"),
    Case("duplicate-row", "duplicate.csv", _duplicate_row, "Duplicate row"),
    Case(
        "nul-bytes",
        "nul.csv",
        lambda: _csv(_table(good_rows())).replace(b"kind", b"ki\0nd", 1),
        "Row 1, cell A1 holds a control character (U+0000)",
    ),
    Case("nul-in-text", "nul-text.csv", _csv_with_text("\0"), "cell G"),
    Case("bell-in-text", "bell.csv", _csv_with_text("\a"), "control character (U+0007)"),
    Case("escape-in-text", "escape.csv", _csv_with_text("\x1b"), "control character (U+001B)"),
    Case("c1-in-text", "c1.csv", _csv_with_text("\x85"), "control character (U+0085)"),
    Case("zip-bomb", "bomb.xlsx", zip_bomb, "unpacks to more than 20 MB"),
    Case("many-entries", "entries.xlsx", _many_entries, "files inside"),
    Case("dense-entry", "dense.xlsx", _dense_entry, "compressed more than 200 times"),
    Case("too-many-cells", "wide.xlsx", _too_many_cells, "more than 200,000 cells"),
    Case("oversized-csv", "big.csv", _long_csv, "larger than 2 MB"),
    # Tolerant, but not to everything: each names the cell and what would be accepted.
    Case(
        "unknown-channel",
        "channel.csv",
        _question_channel("ช่องทางพิเศษ"),
        "unknown channel “ช่องทางพิเศษ”: use one of public/ช่องทางออนไลน์",
        "C34 (channel)",
    ),
    Case(
        "unknown-item-result",
        "result.csv",
        _edited("item", "status", "ดีมาก"),
        "unknown result “ดีมาก”: use one of pass/ผ่าน",
    ),
    Case(
        "gregorian-year-with-prefix",
        "year.csv",
        _edited("fiscal_year", "text", "พ.ศ. 2025"),
        "looks like a Gregorian (A.D.) year",
    ),
    Case(
        "year-in-words",
        "year-words.csv",
        _edited("fiscal_year", "text", "ปีหน้า"),
        "The fiscal year “ปีหน้า” is not a whole number: write the Buddhist-era",
        "G2 (text)",
    ),
    Case(
        "unknown-agency-type",
        "agency.csv",
        _edited("agency_type", "text", "บริษัทจำกัด"),
        "Unknown agency type “บริษัทจำกัด”",
    ),
    Case(
        "unknown-thai-kind",
        "kind.csv",
        _edited("overall", "kind", "คะแนนพิเศษ"),
        "Unknown kind “คะแนนพิเศษ”: use one of fiscal_year/ปีงบประมาณ",
    ),
    Case(
        "unknown-tool",
        "tool.csv",
        _edited("tool", "code", "XYZ"),
        "There is no tool XYZ in 2568: use one of EIT, IIT, OIT",
    ),
    Case(
        "semicolon-unknown-header",
        "header-semicolon.csv",
        _semicolon_bad_header,
        "Unknown column “รหัสผิด” (cell B1)",  # not "kind;code;…": the separator was found
    ),
    Case(
        "percent-over-100",
        "percent.csv",
        _edited("indicator", "score", "101%"),
        "is outside 0–100",
    ),
    Case(
        "score-with-words-semicolon",
        "words-semicolon.csv",
        _edited("indicator", "score", "ประมาณ 90", delimiter=";"),
        "Score “ประมาณ 90” is not a number: write a number from 0 to 100",
        "E13 (score)",
    ),
]
