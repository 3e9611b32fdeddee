"""The results spreadsheet's write door: parse uploaded tables against the known years and
save every sheet of a file, or none (`results_import`).

The admin's import (``ita.resources``), the ``import_results`` command and the benchmarks
call this one function; it writes through `organisation_upsert` and `results_save`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, gettext_noop

from ita.access import organisations_for
from ita.bilingual import bilingual
from ita.models import Assessment, Framework, Organisation
from ita.queries import framework_catalogue, framework_lookup
from ita.results import Catalogue
from ita.services import organisation_upsert, results_save
from ita.sheets import (
    ParsedSheet,
    RowError,
    SheetErrors,
    SheetMeta,
    Table,
    cross_sheet_errors,
    parse_table,
)


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


def results_import(
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
