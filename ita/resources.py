"""The django-import-export side of the results spreadsheet: the Resource and file formats
behind the Assessment changelist's import.

Parsing and saving are the import service's (``ita.services.results_import``); the export
side lives in ``ita.sheets.export``.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Resource
from import_export.results import Result, RowResult

from ita.bilingual import bilingual
from ita.models import Assessment
from ita.services.results_import import (
    ImportOutcome,
    organisation_match,
    parse_tables,
    results_import,
)
from ita.sheets import (
    COLUMNS,
    ParsedSheet,
    RowError,
    SheetErrors,
    SheetFileError,
    Table,
    read_csv,
    read_xlsx,
)
from ita.sheets.files import source_note
from ita.sheets.vocabulary import column_name


def table_dataset(table: Table | None) -> tablib.Dataset:
    """A table as the dataset django-import-export walks; row i is sheet row i + 1.

    A file without data rows is refused here: django-import-export would otherwise answer
    with its own English-only "No valid data to import" before our checks run.
    """
    if table is None or not table.rows:
        raise SheetFileError(bilingual(gettext_noop("The file holds no data.")))
    dataset = tablib.Dataset()
    dataset.headers = table.headers
    for row in table.rows:
        dataset.append(row)
    return dataset


class SheetXLSX(base_formats.XLSX):
    """XLSX read with formulas kept as formulas (to refuse them) and blank rows kept (so
    row numbers match Excel's); a workbook of several assessments is refused here."""

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        tables = read_xlsx(in_stream)
        if len(tables) > 1:
            raise SheetFileError(
                bilingual(
                    gettext_noop(
                        "This workbook has %(count)s worksheets: import one assessment per file "
                        "here, or several at once with “python manage.py import_results”."
                    ),
                    count=len(tables),
                )
            )
        return table_dataset(tables[0] if tables else None)


class SheetCSV(base_formats.CSV):
    """CSV read as bytes, so a file saved by Thai Windows Excel (cp874) works too."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:  # type: ignore[override]
        if in_stream.startswith(b"\xd0\xcf\x11\xe0"):  # an old binary Excel (.xls) file
            raise SheetFileError(
                bilingual(gettext_noop("Only .xlsx and .csv files can be imported."))
            )
        if in_stream.startswith(b"PK\x03\x04"):  # a zip archive, as every XLSX file is
            raise SheetFileError(
                bilingual(gettext_noop("This file is an XLSX workbook: choose the xlsx format."))
            )
        table = read_csv(in_stream)
        dataset = table_dataset(table)
        dataset.ita_source_note = source_note(table) if table else ""  # type: ignore[attr-defined]
        return dataset


class SheetImportResult(Result):
    """django-import-export's result plus the sheet's own errors (with Excel row numbers)
    and what was saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet_errors: list[RowError] = []
        self.outcomes: list[ImportOutcome] = []
        self.source_note = ""  # how a CSV was decoded and split, for the preview

    def has_validation_errors(self) -> bool:
        return bool(self.invalid_rows or self.sheet_errors)


class AssessmentSheetResource(Resource):
    """One assessment per file: the whole file is parsed and checked in `before_import`,
    each row reports its own errors, and the assessment is saved once in `after_import`
    only when no row has an error (in the preview, inside a rolled-back transaction)."""

    kind = Field(column_name="kind")
    code = Field(column_name="code")
    channel = Field(column_name="channel")
    label = Field(column_name="label")
    score = Field(column_name="score")
    status = Field(column_name="status")
    text = Field(column_name="text")

    class Meta:
        model = Assessment  # only for choosing the database
        instance_loader_class = BaseInstanceLoader
        report_skipped = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sheet: ParsedSheet | None = None
        self.row_errors: dict[int, list[str]] = {}
        self.existing = False
        self.source_note = ""

    @classmethod
    def get_display_name(cls) -> str:
        return gettext("ITA results sheet")

    @classmethod
    def get_result_class(cls) -> type[SheetImportResult]:
        return SheetImportResult

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        table = Table(
            title=kwargs.get("file_name") or "",
            headers=[str(h or "") for h in dataset.headers or []],
            rows=[list(r) for r in dataset],
        )
        self.sheet = parse_tables([table])[0]
        self.source_note = getattr(dataset, "ita_source_note", "")
        for error in self.sheet.errors:
            if error.row is not None:
                self.row_errors.setdefault(error.row, []).append(error.message)
        meta = self.sheet.meta
        match = organisation_match(meta) if meta else None
        self.existing = bool(
            meta
            and match
            and match.existing
            and match.existing.assessments.filter(framework__fiscal_year=meta.fiscal_year).exists()
        )

    def import_row(self, row: dict[str, Any], instance_loader: Any, **kwargs: Any) -> RowResult:
        number = kwargs["row_number"] + 1  # the header is row 1
        cells = {column_name(str(k or "")): v for k, v in row.items()}
        result = self.get_row_result_class()()
        result.diff = ["" if cells.get(c) is None else str(cells.get(c)) for c in COLUMNS]
        if number in self.row_errors:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(self.row_errors[number])
        elif all(cells.get(c) in (None, "") for c in COLUMNS if c != "label"):
            result.import_type = RowResult.IMPORT_TYPE_SKIP
        else:
            result.import_type = (
                RowResult.IMPORT_TYPE_UPDATE if self.existing else RowResult.IMPORT_TYPE_NEW
            )
        return result

    def after_import(
        self, dataset: tablib.Dataset, result: SheetImportResult, **kwargs: Any
    ) -> None:
        assert self.sheet is not None
        result.source_note = self.source_note
        result.sheet_errors = list(self.sheet.errors)
        if result.sheet_errors or result.has_errors():
            return
        try:
            result.outcomes = results_import(
                sheets=[self.sheet],
                dry_run=kwargs.get("dry_run", True),
                user=kwargs.get("user"),
                new_organisations=kwargs.get("new_organisations"),
            )
        except SheetErrors as exc:
            result.sheet_errors = exc.errors
