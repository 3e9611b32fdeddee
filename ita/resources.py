"""The results spreadsheet and the database (layout: docs/spreadsheet-layout.md).

Reading side: catalogues of the known years, parsing uploaded tables, and `sheets_import`,
which saves every sheet of a file or none through `ita.services`. Writing side: a year's
layout, an assessment's rows, XLSX/CSV files and the JSON summary, all from
`assessments_for_export` in a fixed number of queries. Admin side: the django-import-export
Resource and file formats behind the Assessment changelist's import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils.translation import gettext, gettext_noop
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Resource
from import_export.results import Result, RowResult

from ita.access import organisations_for
from ita.bilingual import bilingual
from ita.models import (
    Assessment,
    Framework,
    Indicator,
    Organisation,
    Tool,
)
from ita.queries import (
    assessments_for_scoring,
    framework_catalogue,
    framework_lookup,
    scores_for,
)
from ita.results import Catalogue, IndicatorValue, ItemValue, ResultSet
from ita.services import organisation_upsert, results_save
from ita.sheets import (
    COLUMNS,
    IndicatorLabel,
    ItemLabel,
    ParsedSheet,
    QuestionLabel,
    Row,
    RowError,
    SheetErrors,
    SheetFileError,
    SheetLayout,
    SheetMeta,
    Table,
    ToolLabel,
    cross_sheet_errors,
    parse_table,
    read_csv,
    read_xlsx,
    sheet_rows,
    write_csv,
    write_xlsx,
)

# --- reading ---------------------------------------------------------------------------


class CatalogueCache:
    """Each year's codes, loaded from the database the first time a sheet asks for them."""

    def __init__(self) -> None:
        self.years = frozenset(Framework.objects.values_list("fiscal_year", flat=True))
        self._loaded: dict[int, Catalogue | None] = {}

    def __call__(self, year: int) -> Catalogue | None:
        if year not in self._loaded:
            framework = Framework.objects.filter(fiscal_year=year).first()
            self._loaded[year] = framework_catalogue(framework) if framework else None
        return self._loaded[year]


def parse_tables(tables: Sequence[Table]) -> list[ParsedSheet]:
    """Parse every table of a file; a second sheet for the same assessment is an error."""
    catalogues = CatalogueCache()
    sheets = [parse_table(t, years=catalogues.years, catalogue_for=catalogues) for t in tables]
    for error in cross_sheet_errors(sheets):
        next(s for s in sheets if s.title == error.sheet).errors.append(error)
    return sheets


@dataclass(frozen=True)
class ImportOutcome:
    assessment: Assessment
    created: bool
    sheet: ParsedSheet

    def summary(self) -> str:
        results = self.sheet.results
        return gettext(
            "%(year)s %(organisation)s: %(action)s; scores of %(tools)s tools, "
            "%(indicators)s indicators, %(questions)s questions, %(items)s OIT items"
        ) % {
            "year": self.assessment.framework.fiscal_year,
            "organisation": self.assessment.organisation.name,
            "action": gettext("created") if self.created else gettext("replaced"),
            "tools": len(results.tools),
            "indicators": len(results.indicators),
            "questions": len(results.questions),
            "items": len(results.items),
        }


def _agency_type_now(meta: SheetMeta) -> str:
    """The organisation's current type: an older year's sheet does not change it."""
    organisation = Organisation.objects.filter(
        name=meta.organisation, district=meta.district, province=meta.province
    ).first()
    if organisation is None:
        return meta.agency_type
    latest = organisation.assessments.aggregate(year=Max("framework__fiscal_year"))["year"]
    return organisation.agency_type if latest and latest > meta.fiscal_year else meta.agency_type


def sheets_import(
    *, sheets: Sequence[ParsedSheet], dry_run: bool = False, user: Any = None
) -> list[ImportOutcome]:
    """Save the assessment of every sheet, or of none (SheetErrors says why).

    A sheet is the whole assessment: values it leaves out are removed (`results_save`).
    With `dry_run`, everything is written and then rolled back, so the database's own
    checks run too. With a `user` (the admin import), every sheet must be about one of the
    user's own organisations; the command line, run by the server's operator, passes none.
    """
    errors = [e for s in sheets for e in s.errors]
    if user is not None:
        errors += _foreign_organisations(sheets, user)
    errors += [
        RowError(None, bilingual(gettext_noop("The sheet is incomplete.")), s.title)
        for s in sheets
        if s.meta is None and not s.errors
    ]
    if errors or not sheets:
        raise SheetErrors(errors)
    frameworks = Framework.objects.in_bulk(
        {s.meta.fiscal_year for s in sheets if s.meta}, field_name="fiscal_year"
    )
    lookups = {year: framework_lookup(framework) for year, framework in frameworks.items()}
    outcomes: list[ImportOutcome] = []
    current = sheets[0]
    try:
        with transaction.atomic():
            for current in sheets:
                meta = current.meta
                assert meta is not None
                framework = frameworks[meta.fiscal_year]
                organisation = organisation_upsert(
                    name=meta.organisation,
                    province=meta.province,
                    district=meta.district,
                    agency_type=_agency_type_now(meta),
                )
                created = not organisation.assessments.filter(framework=framework).exists()
                assessment = results_save(
                    organisation=organisation,
                    framework=framework,
                    agency_type=meta.agency_type,
                    results=current.results,
                    note=meta.note,
                    lookup=lookups[meta.fiscal_year],
                )
                outcomes.append(ImportOutcome(assessment, created, current))
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as exc:
        raise SheetErrors([RowError(None, m, current.title) for m in exc.messages]) from exc
    return outcomes


def _foreign_organisations(sheets: Sequence[ParsedSheet], user: Any) -> list[RowError]:
    """Sheets about organisations the user may not change (superusers may change all)."""
    if user.is_superuser:
        return []
    allowed = set(organisations_for(user).values_list("name", "district", "province"))
    return [
        RowError(
            None,
            bilingual(
                gettext_noop(
                    "You may import results only for your own organisation: "
                    "%(organisation)s is not one of them."
                ),
                organisation=s.meta.organisation,
            ),
            s.title,
        )
        for s in sheets
        if s.meta is not None
        and (s.meta.organisation, s.meta.district, s.meta.province) not in allowed
    ]


# --- writing ---------------------------------------------------------------------------


def _framework_details() -> list[Prefetch | str]:
    return [
        Prefetch("tools", queryset=Tool.objects.order_by("order", "code")),
        "tools__channels",
        Prefetch("indicators", queryset=Indicator.objects.order_by("number")),
        "indicators__questions",
        "indicators__items",
    ]


def assessments_for_export(queryset: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    """Assessments with their results, scores and labels, in 11 queries whatever the count.

    A given queryset is narrowed by primary key, so one that already prefetches (the
    admin's) does not clash with the prefetches here.
    """
    if queryset is not None:
        queryset = Assessment.objects.filter(pk__in=queryset.values("pk"))
    return (
        assessments_for_scoring(queryset)
        .prefetch_related(
            "framework__tools__channels",
            "framework__indicators__questions",
            "framework__indicators__items",
        )
        .order_by(
            "organisation__province",
            "organisation__name",
            "organisation__district",
            "framework__fiscal_year",
        )
    )


def framework_for_template(year: int) -> Framework:
    return Framework.objects.prefetch_related(*_framework_details()).get(fiscal_year=year)


def _natural(code: str) -> tuple[str, int]:
    match = re.match(r"(\D*)(\d*)", code)
    prefix, digits = match.groups() if match else (code, "")
    return prefix, int(digits) if digits else 0


def sheet_layout(framework: Framework) -> SheetLayout:
    """A framework's codes and labels, from prefetched rows (see `_framework_details`)."""
    tools = sorted(framework.tools.all(), key=lambda t: (t.order, t.code))
    channels = {
        t.pk: tuple((c.code, c.name_th) for c in sorted(t.channels.all(), key=lambda c: c.order))
        for t in tools
    }
    code_of = {t.pk: t.code for t in tools}
    indicators = []
    for indicator in sorted(framework.indicators.all(), key=lambda i: i.number):
        questions = sorted(indicator.questions.all(), key=lambda q: (q.order, _natural(q.code)))
        items = sorted(indicator.items.all(), key=lambda i: (i.order, _natural(i.code)))
        indicators.append(
            IndicatorLabel(
                number=indicator.number,
                name=indicator.name_th,
                tool=code_of[indicator.tool_id],
                questions=tuple(
                    QuestionLabel(q.code, q.theme or q.text[:80], channels[indicator.tool_id])
                    for q in questions
                ),
                items=tuple(ItemLabel(i.code, i.title) for i in items),
            )
        )
    return SheetLayout(
        fiscal_year=framework.fiscal_year,
        tools=tuple(ToolLabel(t.code, t.name_th) for t in tools),
        indicators=tuple(indicators),
    )


def assessment_sheet(assessment: Assessment) -> tuple[SheetMeta, ResultSet]:
    """An assessment's values, from a prefetched assessment (`assessments_for_export`)."""
    organisation = assessment.organisation
    meta = SheetMeta(
        fiscal_year=assessment.framework.fiscal_year,
        organisation=organisation.name,
        province=organisation.province,
        district=organisation.district,
        agency_type=assessment.agency_type,
        note=assessment.note,
    )
    results = ResultSet(
        overall=assessment.published_overall,
        level=assessment.published_level,
        tools={r.tool.code: r.score for r in assessment.tool_results.all()},
        indicators={
            r.indicator.number: IndicatorValue(r.score, r.analysis)
            for r in assessment.indicator_results.all()
        },
        questions={
            (q.question.code, q.channel.code if q.channel else None): q.score
            for q in assessment.question_scores.all()
        },
        items={
            r.item.code: ItemValue(r.score, r.status, r.reason)
            for r in assessment.item_results.all()
        },
    )
    return meta, results


def assessment_rows(assessment: Assessment) -> list[Row]:
    meta, results = assessment_sheet(assessment)
    return sheet_rows(sheet_layout(assessment.framework), meta, results)


def template_rows(framework: Framework) -> list[Row]:
    return sheet_rows(sheet_layout(framework), None, None)


def assessment_title(assessment: Assessment) -> str:
    return f"{assessment.framework.fiscal_year} {assessment.organisation.name}"


def assessment_filename(assessment: Assessment, extension: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "-", assessment_title(assessment)).strip("-")
    return f"{name}.{extension}"


def export_xlsx(assessments: Iterable[Assessment]) -> bytes:
    """One worksheet per assessment."""
    return write_xlsx([(assessment_title(a), assessment_rows(a)) for a in assessments])


def export_csv(assessment: Assessment) -> bytes:
    return write_csv(assessment_rows(assessment))


def _score(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    """Published and computed figures of one prefetched assessment, for JSON.

    Scores are strings with 2 decimals so that nothing is lost to floating point.
    """
    scores = scores_for(assessment)
    names = {i.number: i.name_th for i in assessment.framework.indicators.all()}
    organisation = assessment.organisation
    return {
        "organisation": {
            "name": organisation.name,
            "district": organisation.district,
            "province": organisation.province,
        },
        "fiscal_year": assessment.framework.fiscal_year,
        "agency_type": assessment.agency_type,
        "published_overall": _score(scores.overall.published),
        "computed_overall": _score(scores.overall.computed_rounded),
        "published_level": scores.published_level or None,
        "computed_level": scores.computed_level,
        "mismatches": list(scores.mismatches),
        "tools": [
            {
                "code": t.code,
                "published": _score(t.check.published),
                "computed": _score(t.check.computed_rounded),
                "mismatch": t.check.mismatch,
            }
            for t in scores.tools
        ],
        "indicators": [
            {
                "number": i.number,
                "name": names.get(i.number, ""),
                "published": _score(i.check.published),
                "computed": _score(i.check.computed_rounded),
                "mismatch": i.check.mismatch,
            }
            for i in scores.indicators
        ],
    }


# --- admin import (django-import-export) -----------------------------------------------


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
        return table_dataset(read_csv(in_stream))


class SheetImportResult(Result):
    """django-import-export's result plus the sheet's own errors (with Excel row numbers)
    and what was saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet_errors: list[RowError] = []
        self.outcomes: list[ImportOutcome] = []

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
        for error in self.sheet.errors:
            if error.row is not None:
                self.row_errors.setdefault(error.row, []).append(error.message)
        meta = self.sheet.meta
        self.existing = bool(
            meta
            and Assessment.objects.filter(
                organisation__name=meta.organisation,
                organisation__district=meta.district,
                organisation__province=meta.province,
                framework__fiscal_year=meta.fiscal_year,
            ).exists()
        )

    def import_row(self, row: dict[str, Any], instance_loader: Any, **kwargs: Any) -> RowResult:
        number = kwargs["row_number"] + 1  # the header is row 1
        cells = {str(k).strip().casefold(): v for k, v in row.items()}
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
        result.sheet_errors = list(self.sheet.errors)
        if result.sheet_errors or result.has_errors():
            return
        try:
            result.outcomes = sheets_import(
                sheets=[self.sheet], dry_run=kwargs.get("dry_run", True), user=kwargs.get("user")
            )
        except SheetErrors as exc:
            result.sheet_errors = exc.errors
