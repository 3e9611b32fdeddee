"""Reading and writing the sheet as XLSX or CSV bytes (pure: no database)."""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_noop

from ita.bilingual import bilingual
from ita.sheets.cells import (
    COLUMNS,
    CONTROL_CHARACTER_RE,
    FORMULA_TRIGGERS,
    MAX_CELLS,
    MAX_COMPRESSION_RATIO,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    FormulaCell,
    SheetFileError,
    Table,
    blank,
    cell_text,
    escape_text,
    unescape_text,
)
from ita.sheets.rows import Row

logger = logging.getLogger(__name__)

COLUMN_WIDTHS = {
    "kind": 14,
    "code": 8,
    "channel": 10,
    "label": 50,
    "score": 9,
    "status": 9,
    "text": 80,
}


def _mb(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def file_too_big() -> SheetFileError:
    return SheetFileError(
        bilingual(
            gettext_noop(
                "The file is larger than %(limit)s: one results sheet is far smaller. "
                "Check that this is the right file."
            ),
            limit=_mb(MAX_FILE_BYTES),
        )
    )


def _cell_address(column: int, row: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def _refuse_control_characters(rows: Sequence[Sequence[Any]]) -> None:
    """NUL and other control characters are refused, naming the first cell holding one."""
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            text = value.formula if isinstance(value, FormulaCell) else value
            if isinstance(text, str) and (found := CONTROL_CHARACTER_RE.search(text)):
                raise SheetFileError(
                    bilingual(
                        gettext_noop(
                            "Row %(row)s, cell %(cell)s holds a control character "
                            "(%(character)s) that no spreadsheet shows: delete it and "
                            "import again."
                        ),
                        row=number,
                        cell=_cell_address(column, number),
                        character=f"U+{ord(found.group()):04X}",
                    )
                )


def _too_many_cells() -> SheetFileError:
    return SheetFileError(
        bilingual(
            gettext_noop("The file has more than %(cells)s cells: one sheet holds one assessment."),
            cells=f"{MAX_CELLS:,}",
        )
    )


def _table(title: str, raw_rows: Iterable[Sequence[Any]], cells: list[int]) -> Table | None:
    """Header row plus data rows, trailing blank rows dropped; None for an empty sheet.

    Every row the file really holds is counted here, and `cells` (a one-item counter
    shared by the sheets of one file) counts every cell read, empty ones included.
    """
    rows: list[list[Any]] = []
    for raw in raw_rows:
        cells[0] += len(raw)
        if cells[0] > MAX_CELLS:
            raise _too_many_cells()
        if len(rows) <= MAX_ROWS:
            rows.append(list(raw))
        elif not all(blank(v) for v in raw):  # formatted but empty rows below are fine
            raise SheetFileError(
                bilingual(
                    gettext_noop(
                        "The sheet has more than %(rows)s rows: one sheet holds one assessment."
                    ),
                    rows=MAX_ROWS,
                )
            )
    while rows and all(blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        return None
    _refuse_control_characters(rows)
    width = max(len(r) for r in rows)
    headers = [cell_text(v).strip() for v in rows[0]] + [""] * (width - len(rows[0]))
    data = [r + [None] * (width - len(r)) for r in rows[1:]]
    return Table(title=title, headers=headers, rows=data)


def check_xlsx_archive(data: bytes) -> None:
    """Refuse a zip bomb from the archive's directory alone, before anything is unpacked.

    The sizes checked are those the directory declares; Python's zipfile never unpacks
    more than an entry declares (it stops there and fails its CRC check), so a directory
    that lies cannot get past these limits either.
    """
    if len(data) > MAX_FILE_BYTES:
        raise file_too_big()
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetFileError(
            bilingual(gettext_noop("The file is not an XLSX workbook that can be read."))
        ) from exc
    if len(entries) > MAX_ENTRIES:
        raise SheetFileError(
            bilingual(
                gettext_noop(
                    "The workbook holds %(count)s files inside, more than %(limit)s: "
                    "it is not a results sheet."
                ),
                count=len(entries),
                limit=MAX_ENTRIES,
            )
        )
    total = sum(entry.file_size for entry in entries)
    dense = [
        entry
        for entry in entries
        if entry.file_size > 1_000_000
        and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
    ]
    if total > MAX_UNCOMPRESSED_BYTES or dense:
        raise SheetFileError(
            bilingual(
                gettext_noop(
                    "The workbook unpacks to more than %(limit)s or is compressed more than "
                    "%(ratio)s times: it is not a results sheet."
                ),
                limit=_mb(MAX_UNCOMPRESSED_BYTES),
                ratio=MAX_COMPRESSION_RATIO,
            )
        )


def _unreadable(kind: str, exc: Exception) -> SheetFileError:
    """An error no check above foresaw: logged with its traceback, refused plainly."""
    logger.exception("Unreadable %s upload refused", kind, exc_info=exc)
    if kind == "xlsx":
        return SheetFileError(
            bilingual(gettext_noop("The file is not an XLSX workbook that can be read."))
        )
    return SheetFileError(bilingual(gettext_noop("The file is not a CSV file that can be read.")))


def read_xlsx(data: bytes) -> list[Table]:
    """Every non-empty worksheet; formulas come back as `FormulaCell`, never their result.

    The sheet's stored dimension is ignored: a file whose dimension under-reports its rows
    would otherwise be read short, and a short sheet would delete the rest on import.
    """
    from ita.sheets.xlsx import open_workbook

    check_xlsx_archive(data)
    try:
        book = open_workbook(data)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetFileError(
            bilingual(gettext_noop("The file is not an XLSX workbook that can be read."))
        ) from exc
    except Exception as exc:
        raise _unreadable("xlsx", exc) from exc
    cells = [0]
    try:
        tables = []
        for title, part in book.sheets:
            table = _table(title, book.rows(part), cells)
            if table is not None:
                tables.append(table)
    except SheetFileError:
        raise
    except Exception as exc:
        raise _unreadable("xlsx", exc) from exc
    finally:
        book.close()
    return tables


# CSV encodings tried strictly in this order; the first that decodes the whole file wins.
# UTF-8 first: Thai in cp874 is never valid UTF-8, while UTF-8 Thai can decode as cp874.
CSV_ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp874", "TIS-620/CP874"))
CSV_DELIMITERS = (",", ";", "\t")


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text and the encoding that read it: UTF-8 (with or without BOM), else Thai
    Windows (cp874, a superset of TIS-620). Each is tried strictly, never with replacement
    characters, so a file is read as what it is or refused."""
    for encoding, _name in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8"
        return text, encoding
    raise SheetFileError(
        bilingual(
            gettext_noop(
                "The file is neither UTF-8 nor Thai Windows (TIS-620) text: save it as “CSV UTF-8”."
            )
        )
    )


def csv_delimiter(text: str) -> str:
    """The separator of the header line (comma, semicolon or tab), counted outside quotes;
    a comma when the line has none of them. Counting on the header is surer than
    `csv.Sniffer` on Thai text, whose data rows hold commas in scores ("96,50")."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, title: str = "") -> Table | None:
    """A CSV in UTF-8 (with or without BOM) or Thai Windows (cp874), separated by commas,
    semicolons or tabs; the table says which encoding and separator were read."""
    if len(data) > MAX_FILE_BYTES:
        raise file_too_big()
    text, encoding = decode_csv(data)
    delimiter = csv_delimiter(text)
    # Read row by row so the row and cell limits stop a long file early.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _table(title, ([unescape_text(v) for v in row] for row in reader), [0])
    except csv.Error as exc:
        raise SheetFileError(
            bilingual(gettext_noop("The file is not a CSV file that can be read."))
        ) from exc
    return table and dataclasses.replace(table, encoding=encoding, delimiter=delimiter)


def source_note(table: Table) -> str:
    """How a CSV was read, for the preview: "read as UTF-8 (with BOM), separated by …"."""
    if not table.encoding:
        return ""
    encoding = dict(CSV_ENCODINGS).get(table.encoding, table.encoding.upper())
    if table.encoding == "utf-8-sig":
        encoding = gettext("UTF-8 with BOM")
    elif table.encoding == "utf-8":
        encoding = gettext("UTF-8 without BOM")
    separators = {
        ",": gettext("commas"),
        ";": gettext("semicolons"),
        "\t": gettext("tabs"),
    }
    return gettext("CSV read as %(encoding)s text, columns separated by %(separator)s.") % {
        "encoding": encoding,
        "separator": separators.get(table.delimiter, table.delimiter),
    }


def read_sheet_file(name: str, data: bytes) -> list[Table]:
    """The tables of an uploaded .xlsx or .csv file (by its name's extension)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("xlsx", "xlsm"):
        tables = read_xlsx(data)
    elif suffix == "csv":
        table = read_csv(data, title=name.rsplit("/", 1)[-1])
        tables = [table] if table else []
    else:
        raise SheetFileError(bilingual(gettext_noop("Only .xlsx and .csv files can be imported.")))
    if not tables:
        raise SheetFileError(bilingual(gettext_noop("The file holds no data.")))
    return tables


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a worksheet name; names are unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", title).strip("'") or "sheet"
    candidate, n = base[:31], 1
    while candidate.casefold() in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def write_xlsx(
    sheets: Sequence[tuple[str, Sequence[Row]]], headers: Sequence[str] = COLUMNS
) -> bytes:
    """A workbook with one worksheet per (title, rows); texts are never formulas. Row 1
    holds `headers` (the English column names unless given, e.g. `THAI_COLUMNS`)."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for title, rows in sheets:
        sheet = book.create_sheet(_sheet_title(title, used))
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS[column]
        for r, row in enumerate(rows, start=2):
            for c, column in enumerate(COLUMNS, start=1):
                value = row.get(column)
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, Decimal):
                    cell.value = float(value)
                    cell.number_format = "0.00"
                elif isinstance(value, int):
                    cell.value = value
                else:
                    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
                    cell.value = text
                    # A typed text cell is shown as text, never run; no apostrophe to strip.
                    cell.data_type = "s"
                    if text[:1] in FORMULA_TRIGGERS:
                        cell.quotePrefix = True
                    if column == "text":
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(rows: Sequence[Row], headers: Sequence[str] = COLUMNS) -> bytes:
    """UTF-8 with a BOM so Excel shows Thai; texts a spreadsheet would run get an apostrophe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                escape_text(v) if isinstance(v, str) else ("" if v is None else str(v))
                for v in (row.get(c) for c in COLUMNS)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
