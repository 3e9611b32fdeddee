"""The results spreadsheet: one sheet holds one assessment (see docs/spreadsheet-layout.md).

Pure, no database: read XLSX/CSV bytes into tables (`files`), parse a table's rows into an
`ita.results.ResultSet` with row-level errors before anything is written (`parse`), and
build rows back from results for export and for a year's blank template (`rows`). What the
database knows comes in as plain values: `Catalogue` for checking, `SheetLayout` for
writing. `ita.sheets.export` writes them from the database, `ita.services.results_import` saves
what was read, and `ita.resources` connects the admin.
"""

from __future__ import annotations

from ita.sheets.cells import (
    COLUMNS,
    KINDS,
    FormulaCell,
    ParsedSheet,
    RowError,
    SheetErrors,
    SheetFileError,
    SheetMeta,
    Table,
    agency_type_code,
    escape_text,
    parse_score,
    unescape_text,
)
from ita.sheets.files import read_csv, read_sheet_file, read_xlsx, write_csv, write_xlsx
from ita.sheets.parse import cross_sheet_errors, header_errors, parse_rows, parse_table
from ita.sheets.rows import (
    IndicatorLabel,
    ItemLabel,
    QuestionLabel,
    Row,
    SheetLayout,
    ToolLabel,
    sheet_rows,
)

__all__ = [
    "COLUMNS",
    "KINDS",
    "FormulaCell",
    "IndicatorLabel",
    "ItemLabel",
    "ParsedSheet",
    "QuestionLabel",
    "Row",
    "RowError",
    "SheetErrors",
    "SheetFileError",
    "SheetLayout",
    "SheetMeta",
    "Table",
    "ToolLabel",
    "agency_type_code",
    "cross_sheet_errors",
    "escape_text",
    "header_errors",
    "parse_rows",
    "parse_score",
    "parse_table",
    "read_csv",
    "read_sheet_file",
    "read_xlsx",
    "sheet_rows",
    "unescape_text",
    "write_csv",
    "write_xlsx",
]
