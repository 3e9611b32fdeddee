"""The results spreadsheet's write door: parse uploaded tables against the known years and
save every sheet of a file, or none (`results_import`).

The admin's import (``ita.resources``), the ``import_results`` command and the benchmarks
call this one function. The whole file is written in one set of bulk writes
(`ita.services.results_batch`: a few queries per file, not ~22 per sheet); the dry run (the
admin's preview) makes the same writes and rolls them back.

A sheet's organisation is matched by its name and province in one spelling
(`ita.orgnames.organisation_key`), so "อบต.คลองหินปูน" in "จังหวัดสระแก้ว" updates
"องค์การบริหารส่วนตำบลคลองหินปูน" in "สระแก้ว" instead of creating a second one
(`organisation_match`). A dry run (the admin's preview) also reports, per sheet, every value
it adds, changes or removes and the computed-vs-published check of what would be stored.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from ita.access import organisations_for
from ita.bilingual import bilingual
from ita.models import Assessment, Framework, Organisation
from ita.orgnames import (
    closest_names,
    normalise_district,
    normalise_organisation_name,
    normalise_province,
    organisation_key,
    province_spellings,
)
from ita.queries import (
    FrameworkLookup,
    assessments_for_scoring,
    framework_catalogue,
    framework_lookup,
    scores_for,
)
from ita.results import Catalogue, ResultSet
from ita.scoring import AssessmentScores
from ita.services.results_batch import CHUNK, BatchError, BatchSheet, results_batch_save
from ita.sheets import (
    ParsedSheet,
    RowError,
    SheetErrors,
    SheetMeta,
    Table,
    cross_sheet_errors,
    parse_table,
)
from ita.sheets.diff import Change, DiffSummary, results_diff
from ita.sheets.export import assessment_sheet, assessments_for_export


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


def match_key(name: str, province: str) -> str:
    """The organisation's match key as one string, the value of its tick in the preview."""
    return "|".join(organisation_key(name, province))


@dataclass(frozen=True)
class OrganisationMatch:
    """Which stored organisation a sheet is about, or the closest names when none."""

    name: str  # the sheet's, in the stored spelling
    province: str
    district: str
    existing: Organisation | None
    suggestions: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return match_key(self.name, self.province)

    def describe(self) -> str:
        if self.existing is not None:
            return gettext("matches %(name)s (%(province)s)") % {
                "name": self.existing.name,
                "province": self.existing.province,
            }
        if self.suggestions:
            return gettext(
                "no organisation %(name)s (%(province)s) is stored; the closest are: %(names)s"
            ) % {"name": self.name, "province": self.province, "names": ", ".join(self.suggestions)}
        return gettext("no organisation %(name)s (%(province)s) is stored yet") % {
            "name": self.name,
            "province": self.province,
        }


def organisation_match(meta: SheetMeta) -> OrganisationMatch:
    """The stored organisation with the sheet's name and province in any spelling; an
    exact spelling first, then the oldest row (rows that migration 0012 could not fix)."""
    name = normalise_organisation_name(meta.organisation)
    province = normalise_province(meta.province)
    district = normalise_district(meta.district)
    key = organisation_key(name, province)
    candidates = list(
        Organisation.objects.filter(province__in=province_spellings(province)).order_by("pk")
    )
    same = [o for o in candidates if organisation_key(o.name, o.province) == key]
    exact = [o for o in same if (o.name, o.province, o.district) == (name, province, district)]
    existing = (exact or same or [None])[0]
    suggestions: tuple[str, ...] = ()
    if existing is None:
        nearby = [o.name for o in candidates] or list(
            Organisation.objects.values_list("name", flat=True)
        )
        suggestions = tuple(closest_names(name, nearby))
    return OrganisationMatch(name, province, district, existing, suggestions)


def organisation_matches(metas: Sequence[SheetMeta | None]) -> list[OrganisationMatch | None]:
    """`organisation_match` for every sheet of a file, reading the candidates of all its
    provinces in one query (and every name once, only if some province has none)."""
    wanted = [
        (
            normalise_organisation_name(m.organisation),
            normalise_province(m.province),
            normalise_district(m.district),
        )
        if m
        else None
        for m in metas
    ]
    spellings = {p: province_spellings(p) for p in {w[1] for w in wanted if w}}
    by_spelling: dict[str, list[Organisation]] = {}
    # Each stored organisation's key computed once per file, not once per sheet of its
    # province: per sheet that was every organisation of the province (~100 nationally).
    by_key: dict[tuple[str, str], list[Organisation]] = {}
    every = set().union(*spellings.values()) if spellings else set()
    for organisation in Organisation.objects.filter(province__in=every).order_by("pk"):
        by_spelling.setdefault(organisation.province, []).append(organisation)
        key = organisation_key(organisation.name, organisation.province)
        by_key.setdefault(key, []).append(organisation)
    all_names: list[str] | None = None
    matches: list[OrganisationMatch | None] = []
    for place in wanted:
        if place is None:
            matches.append(None)
            continue
        name, province, district = place
        # In pk order, and only rows stored in a spelling of this sheet's province, as
        # `organisation_match` reads them.
        same = [
            o
            for o in by_key.get(organisation_key(name, province), ())
            if o.province in spellings[province]
        ]
        exact = [o for o in same if (o.name, o.province, o.district) == place]
        existing = (exact or same or [None])[0]
        suggestions: tuple[str, ...] = ()
        if existing is None:
            candidates = sorted(
                (o for s in spellings[province] for o in by_spelling.get(s, ())),
                key=lambda o: o.pk,
            )
            nearby = [o.name for o in candidates]
            if not nearby:
                if all_names is None:
                    all_names = list(Organisation.objects.values_list("name", flat=True))
                nearby = all_names
            suggestions = tuple(closest_names(name, nearby))
        matches.append(OrganisationMatch(name, province, district, existing, suggestions))
    return matches


@dataclass(frozen=True)
class ImportOutcome:
    assessment: Assessment
    created: bool
    sheet: ParsedSheet
    match: OrganisationMatch | None = None
    # Filled by a dry run (the preview): what changes, and the check of what would be stored.
    changes: list[Change] = field(default_factory=list)
    diff: DiffSummary | None = None
    scores: AssessmentScores | None = None

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


def _stored_results(
    sheets: Sequence[ParsedSheet], matches: Sequence[OrganisationMatch | None]
) -> dict[tuple[int, int], ResultSet]:
    """The stored values of every assessment the file replaces, by (organisation, year),
    read before anything is written (one sheet per assessment: no sheet sees another's)."""
    wanted = {
        (m.existing.pk, s.meta.fiscal_year)
        for s, m in zip(sheets, matches, strict=True)
        if s.meta is not None and m is not None and m.existing is not None
    }
    found: dict[tuple[int, int], ResultSet] = {}
    organisation_ids = sorted({pk for pk, _ in wanted})
    years = {year for _, year in wanted}
    for start in range(0, len(organisation_ids), CHUNK):
        stored = Assessment.objects.filter(
            organisation_id__in=organisation_ids[start : start + CHUNK],
            framework__fiscal_year__in=years,
        )
        for assessment in assessments_for_export(stored):
            key = (assessment.organisation_id, assessment.framework.fiscal_year)
            if key in wanted:
                found[key] = assessment_sheet(assessment)[1]
    return found


def _scores(assessment_ids: Sequence[int]) -> dict[int, AssessmentScores]:
    """The computed scores of what the file would store (read inside the dry run)."""
    scores: dict[int, AssessmentScores] = {}
    for start in range(0, len(assessment_ids), CHUNK):
        chunk = Assessment.objects.filter(pk__in=assessment_ids[start : start + CHUNK])
        scores.update((a.pk, scores_for(a)) for a in assessments_for_scoring(chunk))
    return scores


def results_import(
    *,
    sheets: Sequence[ParsedSheet],
    dry_run: bool = False,
    user: Any = None,
    new_organisations: Collection[str] | None = None,
) -> list[ImportOutcome]:
    """Save the assessment of every sheet, or of none (SheetErrors says why).

    A sheet is the whole assessment: values it leaves out are removed. The file is
    written in one set of bulk writes (`results_batch_save`). With `dry_run`, the same
    writes are made and rolled back, so the database's own checks run too, and each
    outcome says what changes and how the stored figures check.
    With a `user` (the admin import), every sheet must be about one of the user's own
    organisations; the command line, run by the server's operator, passes none.

    An organisation no sheet matches is created in the stored spelling; when
    `new_organisations` is given (the admin's ticks, as `match_key`s), only those may be
    created and any other new one refuses the import, except in a dry run, which reports it.
    """
    matches = organisation_matches([s.meta for s in sheets])
    errors = [e for s in sheets for e in s.errors]
    if user is not None:
        errors += _foreign_organisations(sheets, matches, user)
    if new_organisations is not None and not dry_run:
        errors += _unticked_organisations(sheets, matches, new_organisations)
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
    return _import_batched(sheets, matches, lookups, dry_run=dry_run)


def _import_batched(
    sheets: Sequence[ParsedSheet],
    matches: Sequence[OrganisationMatch | None],
    lookups: dict[int, FrameworkLookup],
    *,
    dry_run: bool,
) -> list[ImportOutcome]:
    """The file's writes in one transaction of bulk writes (`results_batch_save`), with
    the same checks, the same first error and the same history as saving sheet by sheet
    with `results_save` (tests/ita/test_import_batched.py holds that reference).

    A dry run makes the same writes and rolls them back, so the database's own checks run
    too; it reads the stored values before the writes (what each sheet changes) and the
    computed scores of what would be stored after them."""
    batch = []
    for sheet, match in zip(sheets, matches, strict=True):
        meta = sheet.meta
        assert meta is not None and match is not None
        batch.append(
            BatchSheet(
                title=sheet.title,
                fiscal_year=meta.fiscal_year,
                agency_type=meta.agency_type,
                note=meta.note,
                results=sheet.results,
                existing=match.existing,
                place=(match.name, match.province, match.district),
            )
        )
    scores: dict[int, AssessmentScores] = {}
    try:
        with transaction.atomic():
            before = _stored_results(sheets, matches) if dry_run else {}
            saved = results_batch_save(sheets=batch, lookups=lookups)
            if dry_run:
                scores = _scores([done.assessment.pk for done in saved])
                transaction.set_rollback(True)
    except BatchError as exc:
        raise SheetErrors([RowError(None, m, exc.title) for m in exc.messages]) from exc
    outcomes = []
    for sheet, match, done in zip(sheets, matches, saved, strict=True):
        assert match is not None and sheet.meta is not None
        if match.existing is None and done.created_earlier is not None:
            # What matching again would find: the organisation an earlier sheet created.
            match = OrganisationMatch(
                match.name, match.province, match.district, done.created_earlier
            )
        outcome = ImportOutcome(done.assessment, done.created, sheet, match)
        if dry_run:
            stored = (
                before.get((match.existing.pk, sheet.meta.fiscal_year))
                if match.existing is not None
                else None
            )
            changes, diff = results_diff(stored, sheet.results)
            outcome = ImportOutcome(
                done.assessment,
                done.created,
                sheet,
                match,
                changes,
                diff,
                scores[done.assessment.pk],
            )
        outcomes.append(outcome)
    return outcomes


def _unticked_organisations(
    sheets: Sequence[ParsedSheet],
    matches: Sequence[OrganisationMatch | None],
    allowed: Collection[str],
) -> list[RowError]:
    """New organisations nobody ticked to be created: the import is refused."""
    return [
        RowError(
            None,
            bilingual(
                gettext_noop(
                    "%(organisation)s (%(province)s) is not stored yet and was not ticked to "
                    "be created: nothing was saved. Tick “create” in the preview (import_results: "
                    "--create-organisations), or correct the name in the file if it is an "
                    "existing organisation."
                ),
                organisation=match.name,
                province=match.province,
            ),
            sheet.title,
        )
        for sheet, match in zip(sheets, matches, strict=True)
        if match is not None and match.existing is None and match.key not in allowed
    ]


def _foreign_organisations(
    sheets: Sequence[ParsedSheet], matches: Sequence[OrganisationMatch | None], user: Any
) -> list[RowError]:
    """Sheets about organisations the user may not change (superusers may change all)."""
    if user.is_superuser:
        return []
    allowed = set(organisations_for(user).values_list("pk", flat=True))
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
        for s, match in zip(sheets, matches, strict=True)
        if s.meta is not None
        and match is not None
        and (match.existing is None or match.existing.pk not in allowed)
    ]
