"""The cells of an XLSX workbook, read from its worksheet XML in one streaming pass each.

openpyxl still reads the package around the cells (content types, workbook, relationships,
styles, defined names, chartsheets) with its own checks, so a file it cannot open is refused
as before. The shared strings and the worksheets, nearly all of a results file, are parsed
here with ElementTree's C parser: openpyxl's read-only reader parses them with a pure-Python
one (defusedxml's), builds an object per cell and reads every sheet twice (once for a stored
dimension `read_xlsx` ignores anyway), which made reading most of an import's time. Each
cell's value follows openpyxl's read-only rules (`WorkSheetParser.parse_cell`,
`ReadOnlyWorksheet._cells_by_row`), with openpyxl's own helpers for formulas, dates and rich
text, so a file reads to the same values it did.

No part may hold a DOCTYPE: no spreadsheet program writes one, and it is where entities are
declared (defusedxml refused only the declarations, a bare DOCTYPE passed).
"""

from __future__ import annotations

import io
import types
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, XMLPullParser
from xml.parsers import expat

import openpyxl.reader.excel
from openpyxl.cell.text import Text
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.workbook.defined_name import DefinedNameDict
from openpyxl.worksheet import _reader as sheet_reader
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHARED_STRINGS

from ita.sheets.cells import FormulaCell

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, VALUE, FORMULA, INLINE = f"{MAIN}row", f"{MAIN}v", f"{MAIN}f", f"{MAIN}is"
SHEET_DATA, DIMENSION, STRING = f"{MAIN}sheetData", f"{MAIN}dimension", f"{MAIN}si"
TEXT = f"{MAIN}t"
# Read with their row (or string), never on their own: skipped at once in the event loop.
INSIDE_ROWS = frozenset({f"{MAIN}c", VALUE, FORMULA, INLINE, TEXT, f"{MAIN}r", f"{MAIN}rPr"})
CHUNK = 16_384  # as ElementTree.iterparse reads: a chunk's elements wait in the event queue
COORDINATES_KEPT = 1_000  # a results sheet uses about 500 distinct cell references (~90 kB)


class XmlDoctypeError(ValueError):
    """A workbook part holds a DOCTYPE (entity declarations live there)."""


class _RootReached(Exception):
    """The prolog guard saw the first element: no DOCTYPE can follow."""


def _refuse_doctype(*_args: object) -> None:
    raise XmlDoctypeError("a DOCTYPE in a workbook part")


def _root_reached(*_args: object) -> None:
    raise _RootReached


def _prolog_guard() -> Any:
    guard = expat.ParserCreate()
    guard.StartDoctypeDeclHandler = _refuse_doctype
    guard.StartElementHandler = _root_reached
    return guard


def _elements(source: IO[bytes]) -> Iterator[Element]:
    """Every element of an XML part as it ends (ElementTree's C parser, the events
    openpyxl's `iterparse` sees). A DOCTYPE can only come before the first element, so
    expat reads that far first and refuses one: without it, no entity can be declared and
    any reference to one is a parse error."""
    pull = XMLPullParser(events=("end",))
    guard = _prolog_guard()
    while chunk := source.read(CHUNK):
        if guard is not None:
            try:
                guard.Parse(chunk, False)
            except _RootReached:
                guard = None
        pull.feed(chunk)
        for _event, element in pull.read_events():
            yield element
    pull.close()
    for _event, element in pull.read_events():
        yield element


def text_content(element: Element) -> str:
    """An `<si>` or `<is>` element's text as openpyxl's `Text.from_tree(...).content`:
    plain `<t>` children without openpyxl's slower path, anything else (rich-text runs,
    phonetic hints, attributes) through it."""
    if len(element) == 1 and not element.attrib and element[0].tag == TEXT:
        return element[0].text or ""  # nearly every string: one <t> and nothing else
    if all(key[:1] == "{" for key in element.attrib):
        children = list(element)
        if all(child.tag.rpartition("}")[2] == "t" for child in children):
            return (children[-1].text if children else None) or ""
    return Text.from_tree(element).content


def shared_strings(source: IO[bytes]) -> list[str]:
    """The shared-string table, as openpyxl's `read_string_table` reads it."""
    strings = []
    for element in _elements(source):
        if element.tag == STRING:
            strings.append(text_content(element).replace("x005F_", ""))
            element.clear()
    return strings


@dataclass
class _Book:
    """What the cells need from the workbook: strings, date styles and the epoch."""

    strings: list[str]
    date_formats: set[int]
    timedelta_formats: set[int]
    epoch: Any
    coordinates: dict[str, int] = field(default_factory=dict)  # "E12" -> column 5


class _Worksheet:
    """One worksheet's rows as (row number, [(column, value), ...]), in file order, read
    as openpyxl's `WorkSheetParser.parse` reads them."""

    def __init__(self, book: _Book) -> None:
        self.book = book
        # openpyxl's own parser, for its formula rules and the sheet-level elements it
        # reads (and refuses when broken); its cell loop is not used.
        self.openpyxl = WorkSheetParser(None, book.strings, data_only=False, epoch=book.epoch)
        self.handlers, self.properties = _sheet_handlers(self.openpyxl)
        self.row_number = 0
        self.column_number = 0

    def rows(self, source: IO[bytes]) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        handlers, properties = self.handlers, self.properties
        dimension_pending = True  # openpyxl's size check reads the first one, unused here
        for element in _elements(source):
            tag = element.tag
            if tag in INSIDE_ROWS:
                continue
            if tag == ROW:
                self._row_number(element.get("r"))
                self.column_number = 0
                yield self.row_number, [self._cell(cell) for cell in element]
                element.clear()
            elif tag in handlers:
                handlers[tag](element)
                element.clear()
            elif tag in properties:
                name, kind = properties[tag]
                setattr(self.openpyxl, name, kind.from_tree(element))
                element.clear()
            elif dimension_pending and tag == DIMENSION:
                dimension_pending = False
                _ = SheetDimension.from_tree(element).boundaries
            elif tag == SHEET_DATA:
                dimension_pending = False

    def _row_number(self, written: str | None) -> None:
        if written is None:
            self.row_number += 1
            return
        try:
            self.row_number = int(written)
        except ValueError:
            number = float(written)
            if not number.is_integer():
                raise ValueError(f"{written} is not a valid row number") from None
            self.row_number = int(number)

    def _column(self, coordinate: str) -> int:
        known = self.book.coordinates
        column = known.get(coordinate)
        if column is None:
            column = coordinate_to_tuple(coordinate)[1]
            if len(known) >= COORDINATES_KEPT:
                known.clear()
            known[coordinate] = column
        return column

    def _cell(self, element: Element) -> tuple[int, Any]:
        """(column, value) as openpyxl's `parse_cell` gives them; a formula as `FormulaCell`."""
        get = element.get
        data_type = get("t", "n")
        coordinate = get("r")
        style: Any = get("s", 0)
        if style:
            style = int(style)
        value: Any = None if data_type == "inlineStr" else (element.findtext(VALUE) or None)
        if coordinate:
            self.column_number = self._column(coordinate)
        else:
            self.column_number += 1
        column = self.column_number
        if element.find(FORMULA) is not None:
            return column, FormulaCell(str(self.openpyxl.parse_formula(element)))
        if value is not None:
            if data_type == "n":
                value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                if style in self.book.date_formats:
                    value = self._date(value, coordinate, style)
            elif data_type == "s":
                value = self.book.strings[int(value)]
            elif data_type == "b":
                value = bool(int(value))
            elif data_type == "d":
                value = from_ISO8601(value)
        elif data_type == "inlineStr":
            child = element.find(INLINE)
            if child is not None:
                value = text_content(child)
        return column, value

    def _date(self, value: float, coordinate: str | None, style: int) -> Any:
        try:
            return from_excel(
                value, self.book.epoch, timedelta=style in self.book.timedelta_formats
            )
        except (OverflowError, ValueError):
            warnings.warn(
                f"Cell {coordinate} is marked as a date but the serial value {value} is "
                "outside the limits for dates. The cell will be treated as an error.",
                stacklevel=2,
            )
            return "#VALUE!"


def _sheet_handlers(
    parser: Any,
) -> tuple[dict[str, Callable[[Element], None]], dict[str, tuple[str, Any]]]:
    """The elements `WorkSheetParser.parse` reads besides rows, with what reads them."""
    handlers = {
        sheet_reader.COL_TAG: parser.parse_column_dimensions,
        sheet_reader.PROT_TAG: parser.parse_sheet_protection,
        sheet_reader.EXT_TAG: parser.parse_extensions,
        sheet_reader.CF_TAG: parser.parse_formatting,
        sheet_reader.LEGACY_TAG: parser.parse_legacy,
        sheet_reader.ROW_BREAK_TAG: parser.parse_row_breaks,
        sheet_reader.COL_BREAK_TAG: parser.parse_col_breaks,
        sheet_reader.CUSTOM_VIEWS_TAG: parser.parse_custom_views,
    }
    properties = {
        sheet_reader.PRINT_TAG: ("print_options", sheet_reader.PrintOptions),
        sheet_reader.MARGINS_TAG: ("page_margins", sheet_reader.PageMargins),
        sheet_reader.PAGE_TAG: ("page_setup", sheet_reader.PrintPageSetup),
        sheet_reader.HEADER_TAG: ("HeaderFooter", sheet_reader.HeaderFooter),
        sheet_reader.FILTER_TAG: ("auto_filter", sheet_reader.AutoFilter),
        sheet_reader.VALIDATION_TAG: ("data_validations", sheet_reader.DataValidationList),
        sheet_reader.PROPERTIES_TAG: ("sheet_properties", sheet_reader.WorksheetProperties),
        sheet_reader.VIEWS_TAG: ("views", sheet_reader.SheetViewList),
        sheet_reader.FORMAT_TAG: ("sheet_format", sheet_reader.SheetFormatProperties),
        sheet_reader.SCENARIOS_TAG: ("scenarios", sheet_reader.ScenarioList),
        sheet_reader.TABLE_TAG: ("tables", sheet_reader.TablePartList),
        sheet_reader.HYPERLINK_TAG: ("hyperlinks", sheet_reader.HyperlinkList),
        sheet_reader.MERGE_TAG: ("merged_cells", sheet_reader.MergeCells),
    }
    return handlers, properties


def sheet_rows(source: IO[bytes], book: _Book) -> Iterator[list[Any]]:
    """A worksheet's rows from row 1, as openpyxl's read-only `iter_rows` gives their
    values once the stored dimension is reset: a missing row is empty, a row is as wide
    as its last cell's column, a row number that goes backwards is skipped."""
    expected = 1
    for number, cells in _Worksheet(book).rows(source):
        while expected < number:
            expected += 1
            yield []
        if expected != number:
            continue
        expected += 1
        if not cells:
            yield []
            continue
        width = cells[-1][0]
        values: list[Any] = [None] * width
        for column, value in cells:
            if 1 <= column <= width:
                values[column - 1] = value
        yield values


@dataclass
class Workbook:
    """An opened workbook: its worksheets' titles and parts, read on demand."""

    archive: Any
    book: _Book
    sheets: list[tuple[str, str]]  # (title, part name) of each worksheet, in order

    def rows(self, part: str) -> Iterator[list[Any]]:
        with self.archive.open(part) as source:
            yield from sheet_rows(source, self.book)

    def close(self) -> None:
        self.archive.close()


def open_workbook(data: bytes) -> Workbook:
    """The workbook's package read as openpyxl's `load_workbook(read_only=True)` reads it,
    in the same order and with the same errors, less the worksheets' own parse."""
    # Looked up at call time, so a test can break it.
    reader = openpyxl.reader.excel.ExcelReader(io.BytesIO(data), read_only=True, data_only=False)
    try:
        reader.read_manifest()
        part = reader.package.find(SHARED_STRINGS)
        strings: list[str] = []
        if part is not None:
            with reader.archive.open(part.PartName[1:]) as source:
                strings = shared_strings(source)
        reader.shared_strings = strings
        reader.read_workbook()
        reader.read_properties()
        reader.read_custom()
        reader.read_theme()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = []
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files:
                continue
            if "chartsheet" in rel.Type:
                reader.read_chartsheet(sheet, rel)
                continue
            rels = get_rels_path(rel.target)
            if rels in reader.valid_files:
                get_dependents(reader.archive, rels)
            # Stands in for the sheet where openpyxl binds its defined names.
            reader.wb._sheets.append(types.SimpleNamespace(defined_names=DefinedNameDict()))
            sheets.append((sheet.name, rel.target))
        reader.parser.assign_names()
        wb = reader.wb
        book = _Book(strings, wb._date_formats, wb._timedelta_formats, wb.epoch)
    except BaseException:
        reader.archive.close()
        raise
    return Workbook(reader.archive, book, sheets)
