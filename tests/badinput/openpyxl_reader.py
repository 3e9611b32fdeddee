"""The XLSX reader as it was before `ita.sheets.xlsx`: openpyxl's read-only worksheets.

Kept only here, so tests can show the new reader gives the same tables and the same
refusals on every file they know.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.sheets.cells import FormulaCell, SheetFileError, Table
from ita.sheets.files import _table, _unreadable, check_xlsx_archive


def read_xlsx_openpyxl(data: bytes) -> list[Table]:
    check_xlsx_archive(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetFileError(
            bilingual(gettext_noop("The file is not an XLSX workbook that can be read."))
        ) from exc
    except Exception as exc:
        raise _unreadable("xlsx", exc) from exc
    cells = [0]
    try:
        tables = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            rows = (
                [FormulaCell(str(c.value)) if c.data_type == "f" else c.value for c in row]
                for row in sheet.iter_rows()
            )
            table = _table(sheet.title, rows, cells)
            if table is not None:
                tables.append(table)
    except SheetFileError:
        raise
    except Exception as exc:
        raise _unreadable("xlsx", exc) from exc
    finally:
        book.close()
    return tables
