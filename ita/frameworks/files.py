"""A year's framework as a spreadsheet: its rows as plain values, the sheet layout with Thai
headers, and reading and writing XLSX bytes.

Pure: no database. `ita.frameworks.checks` validates and compares what is read here, and
`ita.services.framework_import` writes it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_noop

from ita.bilingual import bilingual

MAX_ROWS = 2000  # a framework has about 60 rows a sheet at most; more means a wrong file
THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
TRUE_WORDS = {"ใช่", "yes", "true", "1", "x", "✓"}
FALSE_WORDS = {"ไม่ใช่", "ไม่", "no", "false", "0", ""}


@dataclass(frozen=True)
class FrameworkRow:
    fiscal_year: int
    family: str
    name: str
    status: str
    source_note: str = ""
    description: str = ""

    @property
    def key(self) -> str:
        return str(self.fiscal_year)


@dataclass(frozen=True)
class ToolRow:
    code: str
    name_th: str
    name_en: str
    weight: Decimal
    aggregation: str
    order: int = 0

    @property
    def key(self) -> str:
        return self.code


@dataclass(frozen=True)
class ChannelRow:
    tool: str
    code: str
    name_th: str
    name_en: str = ""
    order: int = 0

    @property
    def key(self) -> str:
        return f"{self.tool}/{self.code}"


@dataclass(frozen=True)
class BandRow:
    label: str
    min_overall: Decimal
    min_each_tool: Decimal | None
    passes: bool
    order: int = 0

    @property
    def key(self) -> str:
        return self.label


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    name_th: str
    name_en: str
    tool: str

    @property
    def key(self) -> str:
        return str(self.number)


@dataclass(frozen=True)
class QuestionRow:
    code: str
    indicator: int
    order: int = 0
    theme: str = ""
    text: str = ""

    @property
    def key(self) -> str:
        return self.code


@dataclass(frozen=True)
class ItemRow:
    code: str
    indicator: int
    title: str
    order: int = 0
    sub_indicator: str = ""
    title_known: bool = True
    data_year: str = "not_stated"
    document_role: str = "none"
    note: str = ""

    @property
    def key(self) -> str:
        return self.code


@dataclass(frozen=True)
class FrameworkSpec:
    """Everything a framework file holds, in the order of its sheets."""

    framework: FrameworkRow
    tools: tuple[ToolRow, ...] = ()
    channels: tuple[ChannelRow, ...] = ()
    bands: tuple[BandRow, ...] = ()
    indicators: tuple[IndicatorRow, ...] = ()
    questions: tuple[QuestionRow, ...] = ()
    items: tuple[ItemRow, ...] = ()

    def sheets(self) -> list[tuple[Sheet, Sequence[Any]]]:
        return [
            (SHEETS[0], (self.framework,)),
            (SHEETS[1], self.tools),
            (SHEETS[2], self.channels),
            (SHEETS[3], self.bands),
            (SHEETS[4], self.indicators),
            (SHEETS[5], self.questions),
            (SHEETS[6], self.items),
        ]


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its Thai title, its row type and each field's Thai column header."""

    name: str  # the spec attribute, also used in messages
    title: str
    row: type
    headers: dict[str, str] = field(default_factory=dict)


SHEETS = (
    Sheet(
        "framework",
        "กรอบการประเมิน",
        FrameworkRow,
        {
            "fiscal_year": "ปีงบประมาณ",
            "family": "กลุ่มตัวชี้วัด",
            "name": "ชื่อกรอบการประเมิน",
            "status": "สถานะ",
            "source_note": "แหล่งที่มา",
            "description": "หมายเหตุ",
        },
    ),
    Sheet(
        "tools",
        "เครื่องมือ",
        ToolRow,
        {
            "order": "ลำดับ",
            "code": "รหัส",
            "name_th": "ชื่อ (ไทย)",
            "name_en": "ชื่อ (อังกฤษ)",
            "weight": "น้ำหนัก (%)",
            "aggregation": "วิธีคำนวณตัวชี้วัด",
        },
    ),
    Sheet(
        "channels",
        "ช่องทาง",
        ChannelRow,
        {
            "tool": "เครื่องมือ",
            "order": "ลำดับ",
            "code": "รหัส",
            "name_th": "ชื่อ (ไทย)",
            "name_en": "ชื่อ (อังกฤษ)",
        },
    ),
    Sheet(
        "bands",
        "ระดับผล",
        BandRow,
        {
            "order": "ลำดับการตรวจ",
            "label": "ระดับ",
            "min_overall": "คะแนนรวมขั้นต่ำ",
            "min_each_tool": "คะแนนขั้นต่ำทุกเครื่องมือ",
            "passes": "นับว่าผ่าน",
        },
    ),
    Sheet(
        "indicators",
        "ตัวชี้วัด",
        IndicatorRow,
        {
            "number": "ตัวชี้วัดที่",
            "name_th": "ชื่อ (ไทย)",
            "name_en": "ชื่อ (อังกฤษ)",
            "tool": "เครื่องมือ",
        },
    ),
    Sheet(
        "questions",
        "ข้อคำถาม",
        QuestionRow,
        {
            "indicator": "ตัวชี้วัดที่",
            "order": "ลำดับ",
            "code": "รหัส",
            "theme": "ประเด็น",
            "text": "ข้อคำถาม",
        },
    ),
    Sheet(
        "items",
        "รายการ OIT",
        ItemRow,
        {
            "indicator": "ตัวชี้วัดที่",
            "order": "ลำดับ",
            "code": "รหัส",
            "sub_indicator": "ตัวชี้วัดย่อย",
            "title": "ชื่อรายการ",
            "title_known": "ทราบชื่อรายการ",
            "data_year": "ปีของข้อมูล",
            "document_role": "บทบาทเอกสาร",
            "note": "สิ่งที่ไม่ทราบหรือสันนิษฐาน",
        },
    ),
)
INT_FIELDS = {"fiscal_year", "order", "number", "indicator"}
DECIMAL_FIELDS = {"weight", "min_overall", "min_each_tool"}
BOOL_FIELDS = {"passes", "title_known"}
OPTIONAL_FIELDS = {"min_each_tool"}  # an empty cell means "no minimum"


class FrameworkFileError(ValueError):
    """A file refused whole; `messages` are bilingual, one per problem found."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


# --- Writing -----------------------------------------------------------------------------


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, Decimal):
        return float(value) if value == value.to_integral() else str(value)
    return value


def write_xlsx(spec: FrameworkSpec) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, rows in spec.sheets():
        ws = book.create_sheet(sheet.title)
        ws.append(list(sheet.headers.values()))
        for row in rows:
            ws.append([_cell(getattr(row, name)) for name in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text starting with "=" stays text, never a formula
        for letter, name in zip("ABCDEFGHIJ", sheet.headers, strict=False):
            wide = name in ("name", "name_th", "name_en", "title", "text", "source_note")
            ws.column_dimensions[letter].width = 50 if wide else 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Reading -----------------------------------------------------------------------------


def _error(message: str, **params: object) -> str:
    return bilingual(message, **params)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _value(name: str, raw: object) -> object:
    """A cell as its field's type; ValueError when it cannot be."""
    text = _text(raw).translate(THAI_TO_ARABIC)
    if name in BOOL_FIELDS:
        if isinstance(raw, bool):
            return raw
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError
    if name in OPTIONAL_FIELDS and text == "":
        return None
    if name in INT_FIELDS:
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError
        return int(text)
    if name in DECIMAL_FIELDS:
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError from exc
        if not number.is_finite():
            raise ValueError
        return number.quantize(Decimal("0.01")) if number.as_tuple().exponent < -2 else number
    return _text(raw)


def _rows(sheet: Sheet, table: list[list[Any]], errors: list[str]) -> list[Any]:
    headers = [_text(v) for v in table[0]] if table else []
    missing = [h for h in sheet.headers.values() if h not in headers]
    if missing:
        errors.append(
            _error(
                gettext_noop("Sheet “%(sheet)s” lacks the column(s) %(columns)s."),
                sheet=sheet.title,
                columns=", ".join(f"“{h}”" for h in missing),
            )
        )
        return []
    position = {name: headers.index(header) for name, header in sheet.headers.items()}
    rows = []
    for number, raw in enumerate(table[1:], 2):
        if all(_text(v) == "" for v in raw):
            continue
        values, bad = {}, False
        for name, index in position.items():
            cell = raw[index] if index < len(raw) else None
            try:
                values[name] = _value(name, cell)
            except (ValueError, TypeError):
                bad = True
                errors.append(
                    _error(
                        gettext_noop(
                            "Sheet “%(sheet)s”, row %(row)s: “%(value)s” is not a valid "
                            "value for column “%(column)s”."
                        ),
                        sheet=sheet.title,
                        row=number,
                        value=_text(cell),
                        column=sheet.headers[name],
                    )
                )
        if not bad:
            rows.append(sheet.row(**values))
    return rows


def read_tables(tables: dict[str, list[list[Any]]]) -> FrameworkSpec:
    """The spec in a workbook's sheets (title -> rows, header first); refused whole."""
    errors: list[str] = []
    parsed: dict[str, list[Any]] = {}
    for sheet in SHEETS:
        if sheet.title not in tables:
            errors.append(
                _error(gettext_noop("The file has no sheet “%(sheet)s”."), sheet=sheet.title)
            )
            continue
        table = tables[sheet.title]
        if len(table) > MAX_ROWS:
            errors.append(
                _error(
                    gettext_noop("Sheet “%(sheet)s” has more than %(rows)s rows."),
                    sheet=sheet.title,
                    rows=MAX_ROWS,
                )
            )
            continue
        parsed[sheet.name] = _rows(sheet, table, errors)
    if not errors and len(parsed["framework"]) != 1:
        errors.append(
            _error(
                gettext_noop("Sheet “%(sheet)s” must hold exactly one row below its headers."),
                sheet=SHEETS[0].title,
            )
        )
    if errors:
        raise FrameworkFileError(errors)
    return FrameworkSpec(
        framework=parsed["framework"][0],
        **{s.name: tuple(parsed[s.name]) for s in SHEETS[1:]},
    )


def read_xlsx(data: bytes) -> FrameworkSpec:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FrameworkFileError(
            [_error(gettext_noop("The file is not an XLSX workbook that can be read."))]
        ) from exc
    try:
        tables = {}
        for ws in book.worksheets:
            rows: list[list[Any]] = []
            for row in ws.iter_rows():
                if any(c.data_type == "f" for c in row):
                    raise FrameworkFileError(
                        [
                            _error(
                                gettext_noop(
                                    "Sheet “%(sheet)s” holds a formula: type the values instead."
                                ),
                                sheet=ws.title,
                            )
                        ]
                    )
                rows.append([c.value for c in row])
                if len(rows) > MAX_ROWS + 1:
                    break
            tables[ws.title] = rows
    finally:
        book.close()
    return read_tables(tables)


def row_values(row: object) -> dict[str, object]:
    """A row's fields by name (for comparing two versions of the same row)."""
    return {f.name: getattr(row, f.name) for f in fields(row)}  # type: ignore[arg-type]
