"""The sheet's columns and kinds, its value types, and how one cell becomes a value.

Pure: no database. See docs/spreadsheet-layout.md for the layout these constants describe.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_noop

from ita.bilingual import bilingual
from ita.results import SCORE_MAX, SCORE_MIN, ResultSet, score_error
from ita.sheets import vocabulary

COLUMNS = ("kind", "code", "channel", "label", "score", "status", "text")
REQUIRED_COLUMNS = ("kind", "code")
META_KINDS = ("fiscal_year", "organisation", "district", "province", "agency_type", "note")
REQUIRED_META = ("fiscal_year", "organisation", "province", "agency_type")
RESULT_KINDS = ("overall", "level", "tool", "indicator", "question", "item")
KINDS = META_KINDS + RESULT_KINDS
# The value columns each kind may fill; `label` is free for people and ignored on import.
USES: dict[str, frozenset[str]] = {
    **{kind: frozenset({"text"}) for kind in META_KINDS},
    "overall": frozenset({"score"}),
    "level": frozenset({"text"}),
    "tool": frozenset({"code", "score"}),
    "indicator": frozenset({"code", "score", "text"}),
    "question": frozenset({"code", "channel", "score"}),
    "item": frozenset({"code", "score", "status", "text"}),
}
MAX_ROWS = 5000  # a 2568 assessment has about 70 rows; more means a wrong file
# Hostile-file limits, checked before parsing (the sheet's own numbers are never trusted).
# A 5,000-row sheet with long analysis texts stays far below each of them.
MAX_FILE_BYTES = 2_000_000  # as uploaded (an exported assessment is about 15 kB)
MAX_UNCOMPRESSED_BYTES = 20_000_000  # an XLSX's entries, as their zip directory declares
MAX_COMPRESSION_RATIO = 200  # per XLSX entry of over 1 MB; sheet XML is about 10-30 times
MAX_ENTRIES = 500  # files inside one XLSX (an assessment's workbook has about 10)
MAX_CELLS = 200_000  # cells read from one file, empty ones included
# NUL and other C0/C1 control characters: no spreadsheet program types them, PostgreSQL
# refuses NUL, and they hide text. Tab and line breaks are fine in a cell.
CONTROL_CHARACTER_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FIRST_DATA_ROW = 2  # row 1 holds the column names, as Excel numbers rows
# A text starting with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
THAI_TO_ARABIC = vocabulary.THAI_TO_ARABIC
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
TWO_PLACES = Decimal("0.01")
BUDDHIST_ERA_PREFIX_RE = re.compile(r"^(พ\.\s*ศ\.|ปี\s*พ\.\s*ศ\.|ปีงบประมาณ(\s*พ\.\s*ศ\.)?)\s*")
# A decimal comma ("96,50"): one or two places only, so a thousands comma is never misread.
DECIMAL_COMMA_RE = re.compile(r"^([+-]?\d+),(\d{1,2})$")
CODE_WORD_RE = re.compile(r"^ข้อ\s*")


class SheetFileError(ValueError):
    """A file that cannot be read as a results spreadsheet at all (message is bilingual)."""


@dataclass(frozen=True)
class FormulaCell:
    """An XLSX cell holding a formula: refused, because its value is not in the file."""

    formula: str

    def __str__(self) -> str:
        return self.formula


@dataclass(frozen=True)
class Table:
    """One worksheet (or CSV file): column names and the data rows below them."""

    title: str
    headers: list[str]
    rows: list[list[Any]]  # rows[i] is spreadsheet row i + FIRST_DATA_ROW
    encoding: str = ""  # a CSV's: "utf-8-sig" (with a BOM), "utf-8" or "cp874"
    delimiter: str = ""  # a CSV's: ",", ";" or "\t"


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row number (the header is row 1); None: the sheet as a whole
    message: str
    sheet: str = ""
    cell: str = ""  # the cell, as "E12 (score)": column letter, row and the file's header

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(gettext("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            where.append(gettext("row %(row)s") % {"row": self.row})
        if self.cell:
            where.append(gettext("cell %(cell)s") % {"cell": self.cell})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class SheetMeta:
    fiscal_year: int
    organisation: str
    province: str
    agency_type: str
    district: str = ""
    note: str | None = None  # None: the sheet says nothing about the note


@dataclass
class ParsedSheet:
    title: str
    meta: SheetMeta | None
    results: ResultSet
    errors: list[RowError]
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return self.meta is not None and not self.errors


class SheetErrors(Exception):
    """Raised by writers when sheets cannot be saved; nothing was saved."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


def escape_text(text: str) -> str:
    """Neutralise a text a spreadsheet would run as a formula (CSV), reversibly."""
    if text[:1] in FORMULA_TRIGGERS or (
        text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_TRIGGERS
    ):
        return "'" + text
    return text


def unescape_text(text: str) -> str:
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text; numbers as Excel shows them (2568, not 2568.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cell_code(value: object) -> str:
    return cell_text(value).strip().translate(THAI_TO_ARABIC)


def result_code(value: object, kind: str) -> str:
    """A question or item code as people write it ("ข้อ i๑", "O16", "๐๑๖", "o016") in the
    catalogue's spelling ("i1", "o16"); a bare number is an item's o-code."""
    text = CODE_WORD_RE.sub("", cell_code(value)).replace(" ", "").casefold()
    match = re.fullmatch(r"([a-z]?)0*(\d+)", text)
    if not match:
        return text
    letter, digits = match.groups()
    if not letter and kind == "item":
        letter = "o"
    return f"{letter}{digits}" if letter else text


def fiscal_year_number(value: object) -> int | None:
    """A year cell; "พ.ศ. 2568" and "ปีงบประมาณ ๒๕๖๘" as well as 2568."""
    if isinstance(value, str):
        value = BUDDHIST_ERA_PREFIX_RE.sub("", value.strip())
    return whole_number(value)


def whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_code(value)
    return int(text) if text.isascii() and text.isdigit() else None


def parse_score(value: object) -> tuple[Decimal | None, str | None]:
    """A 0–100 score with at most 2 decimals from a cell, or the reason it is not one."""
    if blank(value):
        return None, None
    number: Decimal | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    elif isinstance(value, str):
        text = value.strip().translate(THAI_TO_ARABIC)
        if text.startswith("="):
            return None, bilingual(
                gettext_noop("Column %(column)s holds a formula (%(formula)s): type the value."),
                column="score",
                formula=text,
            )
        text = text.removesuffix("%").strip()  # "98.07%": scores are per cent already
        text = DECIMAL_COMMA_RE.sub(r"\1.\2", text)
        number = Decimal(text) if NUMBER_RE.match(text) else None
    if number is None or not number.is_finite():
        return None, bilingual(
            gettext_noop(
                "Score “%(value)s” is not a number: write a number from 0 to 100, such as "
                "98.07, ๙๘.๐๗, 98,07 or 98.07%%."
            ),
            value=cell_text(value).strip(),
        )
    error = score_error(number)
    in_range = SCORE_MIN <= number <= SCORE_MAX
    if error is None or (in_range and number == number.quantize(TWO_PLACES)):  # 98.070 is fine
        return number.quantize(TWO_PLACES), None
    return number, error


def agency_type_code(text: str) -> str | None:
    """An agency type as written (code, Thai or English name, short form) -> its code;
    read from `ita.sheets.vocabulary`, never from the UI catalogue."""
    return vocabulary.agency_type(text)


def item_status_code(text: str) -> str | None:
    return vocabulary.item_status(text)


def agency_type_label(code: str) -> str:
    """The Thai name written to spreadsheets, whatever the interface language."""
    return vocabulary.AGENCY_TYPE_THAI.get(code, code)
