"""A whole results file written in one set of bulk writes: `results_batch_save`.

What `organisation_upsert` + `results_save` do for one sheet, done for every sheet of a file
at once: the stored organisations, assessments and result rows the file touches are read
in a few queries (not ~22 per sheet), every sheet is checked in file order with the same
rules and the same error for the first sheet that fails (`validate`, `full_clean` of the
organisation, the assessment and each new or changed row, the rows' only when they hold a
value not seen valid: `_Checked`) before anything is written, and then each model is
written with one `create_with_history` (COPY on PostgreSQL, `bulk_create_with_history`
elsewhere; new result rows as plain values, `create_values_with_history`) or
`bulk_update_with_history`, so the audit history holds the same rows (type, user, change
reason) as the per-sheet path.
The figures cache and the peer rows are touched once (`assessment_figures_touch`, one
`peers_touch` per year) instead of once per sheet.

Removed rows are deleted with a queryset per model: Django sends each row's post_delete,
so simple-history records the same "-" row as `row.delete()` does (imports rarely remove).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from simple_history.utils import bulk_update_with_history

from ita.models import (
    Assessment,
    Framework,
    IndicatorResult,
    ItemResult,
    Organisation,
    QuestionScore,
    ToolResult,
)
from ita.orgnames import (
    normalise_district,
    normalise_organisation_name,
    normalise_province,
    organisation_key,
)
from ita.peers.services import peers_touch
from ita.queries import FrameworkLookup, framework_catalogue
from ita.results import Catalogue, ResultSet, validate
from ita.services.bulk import create_values_with_history, create_with_history
from ita.services.figures import assessment_figures_touch

CHUNK = 500  # ids per IN (...) list: under SQLite's variable limit, few round trips
Place = tuple[str, str, str]  # (name, province, district) in the stored spelling


@dataclass(frozen=True)
class BatchSheet:
    """One sheet to save: its values and what the importer already matched."""

    title: str
    fiscal_year: int
    agency_type: str
    note: str | None
    results: ResultSet
    existing: Organisation | None  # the matched stored organisation, if any
    place: Place  # the sheet's organisation, normalised (used when none is matched)


@dataclass(frozen=True)
class BatchSaved:
    assessment: Assessment
    created: bool
    # The organisation a sheet earlier in this file created, when this sheet matched none.
    created_earlier: Organisation | None


class BatchError(Exception):
    """The first sheet (in file order) that cannot be saved, and why."""

    def __init__(self, title: str, messages: list[str]) -> None:
        super().__init__(messages)
        self.title = title
        self.messages = messages


@dataclass
class _Rows:
    """One model's planned writes across the file."""

    created: list[dict[str, Any]] = field(default_factory=list)  # field name -> value
    changed: list[Model] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Kind:
    """How one model's rows follow a sheet (the same rules as `results_save`'s `_sync`)."""

    model: type[Model]
    fields: list[str]
    key: Callable[[Any], Any]  # a stored row's key, by ids
    wanted: Callable[[ResultSet, FrameworkLookup], dict[Any, Any]]
    # A new row's values by field name (assessment, framework rows, value).
    build: Callable[[Assessment, Any, Any], dict[str, Any]]
    update: Callable[[Any, Any], bool]
    # What the model's own `clean` reads, from a row's values by attname (None: the model
    # has none), so that a row whose values were all seen valid needs no `full_clean`.
    clean_key: Callable[[dict[str, Any]], Hashable] | None = None


def _set(row: object, **values: object) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _question(lookup: FrameworkLookup, code: str, channel: str | None) -> tuple[Any, Any]:
    question = lookup.questions[code]
    return question, lookup.channels.get((question, channel))


def _ids(*rows: Model | None) -> Any:
    ids = tuple(row.pk if row is not None else None for row in rows)
    return ids[0] if len(ids) == 1 else ids


# `wanted` maps a row's key (ids, as `key` reads a stored row) to the framework rows it
# refers to and its value: new rows are built with the framework rows themselves (from the
# year's lookup), so `QuestionScore.clean` reads the question's tool without a query.
KINDS = (
    _Kind(
        ToolResult,
        ["score"],
        key=lambda row: row.tool_id,
        wanted=lambda r, lk: {
            _ids(tool): (tool, score)
            for tool, score in ((lk.tools[code], score) for code, score in r.tools.items())
        },
        build=lambda a, tool, score: {"assessment": a, "tool": tool, "score": score},
        update=lambda row, score: _set(row, score=score),
    ),
    _Kind(
        IndicatorResult,
        ["score", "analysis"],
        key=lambda row: row.indicator_id,
        wanted=lambda r, lk: {
            _ids(ind): (ind, v)
            for ind, v in ((lk.indicators[n], v) for n, v in r.indicators.items())
        },
        build=lambda a, ind, v: {
            "assessment": a,
            "indicator": ind,
            "score": v.score,
            "analysis": v.analysis,
        },
        update=lambda row, v: _set(row, score=v.score, analysis=v.analysis),
    ),
    _Kind(
        QuestionScore,
        ["score"],
        key=lambda row: (row.question_id, row.channel_id),
        wanted=lambda r, lk: {
            _ids(*pair): (pair, score)
            for pair, score in (
                (_question(lk, code, channel), score)
                for (code, channel), score in r.questions.items()
            )
        },
        build=lambda a, pair, score: {
            "assessment": a,
            "question": pair[0],
            "channel": pair[1],
            "score": score,
        },
        update=lambda row, score: _set(row, score=score),
        clean_key=lambda row: (row["question_id"], row["channel_id"]),
    ),
    _Kind(
        ItemResult,
        ["score", "status", "reason"],
        key=lambda row: row.item_id,
        wanted=lambda r, lk: {
            _ids(item): (item, v)
            for item, v in ((lk.items[code], v) for code, v in r.items.items())
        },
        build=lambda a, item, v: {
            "assessment": a,
            "item": item,
            "score": v.score,
            "status": v.status,
            "reason": v.reason,
        },
        update=lambda row, v: _set(row, score=v.score, status=v.status, reason=v.reason),
    ),
)


# Field values found valid, by (model, attname, type, text): scores have 10,001 values,
# so after a file or two almost no row needs its `full_clean`; bounded for free text.
_VALID: set[Hashable] = set()
VALID_KEPT = 200_000


class _Checked:
    """`full_clean` of one model's new and changed rows (values only: relations, uniqueness
    and constraints excluded, as `results_save` checks them), run for a row only when one
    of its values (or what its `clean` reads) was not seen valid earlier in the file.

    A field's check (`Field.clean`) depends on the value alone, so a value once found
    valid is valid in every row, and in every later file (`_VALID`, kept for the
    process); what the model's `clean` reads from the database (a question's tool) is
    trusted for this file only. A row with a new value gets the real `full_clean`, which
    refuses it with exactly the messages it gives. Values are told apart by type and
    text, so Decimal("1.000") is not taken for a valid Decimal("1")."""

    def __init__(self, kind: _Kind) -> None:
        meta = kind.model._meta
        self.kind = kind
        self.relations = [f.name for f in meta.fields if f.is_relation]
        self.plain = [f for f in meta.fields if not f.is_relation]
        self.related = [f for f in meta.fields if f.is_relation]
        # A model whose `clean` is not Model's reads something `clean_key` must name.
        assert kind.clean_key is not None or kind.model.clean is Model.clean, kind.model
        # A new row's fields the kind leaves out take defaults that must be the same in
        # every row (as Model.__init__ gives them) for one check to stand for all.
        assert not any(f.has_default() and callable(f.default) for f in self.plain), kind.model
        self.defaults = {f.attname: f.get_default() for f in self.plain}
        self.label = kind.model._meta.label
        self.seen: set[Hashable] = set()  # this file's clean keys

    def __call__(self, row: Model) -> None:
        """A changed stored row."""
        values = {f.attname: getattr(row, f.attname) for f in (*self.plain, *self.related)}
        if not self._known(values):
            self._clean(row, values)

    def new(self, values: dict[str, Any]) -> None:
        """A new row, by field name (`_Kind.build`); an instance only when it is cleaned."""
        by_attname = dict(self.defaults)
        for f in self.plain:
            if f.name in values:
                by_attname[f.attname] = values[f.name]
        for f in self.related:
            if f.name in values:
                related = values[f.name]
                by_attname[f.attname] = related.pk if related is not None else None
        if not self._known(by_attname):
            self._clean(self.kind.model(**values), by_attname)

    def _keys(self, values: dict[str, Any]) -> list[Hashable]:
        label = self.label
        return [
            (label, f.attname, type(v), str(v)) for f in self.plain for v in (values[f.attname],)
        ]

    def _known(self, values: dict[str, Any]) -> bool:
        if not all(k in _VALID for k in self._keys(values)):
            return False
        return self.kind.clean_key is None or self.kind.clean_key(values) in self.seen

    def _clean(self, row: Model, values: dict[str, Any]) -> None:
        row.full_clean(exclude=self.relations, validate_unique=False, validate_constraints=False)
        if len(_VALID) > VALID_KEPT:
            _VALID.clear()
        _VALID.update(self._keys(values))
        if self.kind.clean_key is not None:
            self.seen.add(self.kind.clean_key(values))


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _stored(
    organisations: Sequence[Organisation], frameworks: Iterable[Framework]
) -> tuple[dict[tuple[int, int], Assessment], dict[int, int], dict[type, dict[int, list]]]:
    """The file's stored assessments, each organisation's latest year, and the stored
    result rows of those assessments by model: a few queries per 500 organisations."""
    org_ids = sorted({o.pk for o in organisations})
    framework_ids = [f.pk for f in frameworks]
    assessments: dict[tuple[int, int], Assessment] = {}
    latest: dict[int, int] = {}
    for chunk in _chunks(org_ids):
        for a in Assessment.objects.filter(
            organisation_id__in=chunk, framework_id__in=framework_ids
        ):
            assessments[(a.organisation_id, a.framework_id)] = a
        latest.update(
            Assessment.objects.filter(organisation_id__in=chunk)
            .values("organisation_id")
            .annotate(year=Max("framework__fiscal_year"))
            .values_list("organisation_id", "year")
        )
    rows: dict[type, dict[int, list]] = {kind.model: defaultdict(list) for kind in KINDS}
    assessment_ids = sorted(a.pk for a in assessments.values())
    for kind in KINDS:
        for chunk in _chunks(assessment_ids):
            for row in kind.model._default_manager.filter(assessment_id__in=chunk):
                rows[kind.model][row.assessment_id].append(row)
    return assessments, latest, rows


def results_batch_save(
    *, sheets: Sequence[BatchSheet], lookups: dict[int, FrameworkLookup]
) -> list[BatchSaved]:
    """Save every sheet or none; BatchError names the first sheet that cannot be saved.

    Must run inside the caller's transaction (`results_import` holds one for the file)."""
    assert transaction.get_connection().in_atomic_block
    frameworks = {year: lookup.framework for year, lookup in lookups.items()}
    catalogues: dict[int, Catalogue] = {}
    matched = [s.existing for s in sheets if s.existing is not None]
    # Stored organisations by place, for `organisation_upsert`'s exact-spelling lookup.
    by_place: dict[Place, Organisation] = {(o.name, o.province, o.district): o for o in matched}
    missing = {_normalised_place(o) for o in matched if _normalised_place(o) not in by_place} | {
        s.place for s in sheets if s.existing is None
    }
    by_place.update(_organisations_at(missing))
    assessments, latest, stored_rows = _stored(list(by_place.values()), frameworks.values())
    # Locked like results_save's select_for_update: nobody changes them until we commit.
    _lock(a.pk for a in assessments.values())

    new_by_key: dict[tuple[str, str], Organisation] = {}
    new_orgs: list[Organisation] = []
    changed_orgs: dict[int, Organisation] = {}
    new_assessments: list[Assessment] = []
    old_assessments: list[Assessment] = []
    planned: dict[type, _Rows] = {kind.model: _Rows() for kind in KINDS}
    checks = {kind.model: _Checked(kind) for kind in KINDS}
    latest_new: dict[int, int] = {}  # id(organisation) -> latest year, for unsaved ones
    saved: list[BatchSaved] = []
    for sheet in sheets:
        try:
            framework = frameworks[sheet.fiscal_year]
            target = sheet.existing
            earlier = None
            if target is None:
                earlier = new_by_key.get(organisation_key(sheet.place[0], sheet.place[1]))
                target = earlier
            # organisation_upsert: the target's stored spelling, normalised, then exact.
            place = _normalised_place(target) if target is not None else sheet.place
            agency_type = _agency_type_now(sheet, target, latest, latest_new)
            organisation = by_place.get(place)
            if organisation is None:
                organisation = Organisation(
                    name=place[0], province=place[1], district=place[2], agency_type=agency_type
                )
                organisation.full_clean()
                by_place[place] = organisation
                new_by_key[organisation_key(place[0], place[1])] = organisation
                new_orgs.append(organisation)
            elif organisation.agency_type != agency_type:
                organisation.agency_type = agency_type
                organisation.full_clean()
                if organisation.pk is not None:
                    changed_orgs[organisation.pk] = organisation
            _note_year(organisation, sheet.fiscal_year, latest, latest_new)

            assessment = (
                assessments.get((organisation.pk, framework.pk))
                if organisation.pk is not None
                else None
            )
            created = assessment is None
            lookup = lookups[sheet.fiscal_year]
            if sheet.fiscal_year not in catalogues:
                catalogues[sheet.fiscal_year] = framework_catalogue(framework, lookup)
            errors = validate(sheet.results, catalogues[sheet.fiscal_year])
            if errors:
                raise ValidationError(errors)
            if assessment is None:
                assessment = Assessment(organisation=organisation, framework=framework)
            assessment.agency_type = sheet.agency_type
            assessment.published_overall = sheet.results.overall
            assessment.published_level = sheet.results.level.strip()
            if sheet.note is not None:
                assessment.note = sheet.note
            # The organisation may be unsaved yet, and one sheet per assessment is
            # guaranteed (`cross_sheet_errors`): the relations and uniqueness need no query.
            assessment.full_clean(
                exclude=["organisation", "framework"],
                validate_unique=False,
                validate_constraints=False,
            )
            (new_assessments if created else old_assessments).append(assessment)
            existing_rows = stored_rows if not created else None
            for kind in KINDS:
                stored = existing_rows[kind.model].get(assessment.pk, []) if existing_rows else []
                _plan_rows(
                    kind,
                    assessment,
                    stored,
                    kind.wanted(sheet.results, lookup),
                    planned[kind.model],
                    checks[kind.model],
                )
        except ValidationError as exc:
            raise BatchError(sheet.title, exc.messages) from exc
        saved.append(BatchSaved(assessment, created, earlier))

    # Every sheet is valid: write.
    if new_orgs:
        create_with_history(new_orgs, Organisation)
    if changed_orgs:
        bulk_update_with_history(
            list(changed_orgs.values()), Organisation, ["agency_type"], batch_size=CHUNK
        )
    for assessment in new_assessments:
        assessment.organisation = assessment.organisation  # the pk it has now
    if new_assessments:
        create_with_history(new_assessments, Assessment)
    if old_assessments:
        bulk_update_with_history(
            old_assessments,
            Assessment,
            ["agency_type", "published_overall", "published_level", "note"],
            batch_size=CHUNK,
        )
    for kind in KINDS:
        rows = planned[kind.model]
        for chunk in _chunks(rows.removed):
            kind.model._default_manager.filter(pk__in=chunk).delete()
        if rows.created:
            create_values_with_history(kind.model, rows.created)
        if rows.changed:
            bulk_update_with_history(rows.changed, kind.model, kind.fields, batch_size=CHUNK)
    assessment_figures_touch(assessment_ids=[s.assessment.pk for s in saved])
    touched: dict[int, list[int]] = defaultdict(list)
    for entry in saved:
        touched[entry.assessment.framework_id].append(entry.assessment.pk)
    for framework_id, assessment_ids in sorted(touched.items()):
        peers_touch(framework_id=framework_id, assessment_ids=assessment_ids)
    return saved


def _plan_rows(
    kind: _Kind,
    assessment: Assessment,
    stored: list,
    wanted: dict,
    rows: _Rows,
    check: _Checked,
) -> None:
    """`_sync` without writing: what to remove, create and change; new and changed rows
    are validated as `results_save` validates them (values only)."""
    current = {kind.key(row): row for row in stored}
    rows.removed += [row.pk for key, row in current.items() if key not in wanted]
    for key, (related, value) in wanted.items():
        row = current.get(key)
        if row is None:
            values = kind.build(assessment, related, value)
            check.new(values)
            rows.created.append(values)
        elif kind.update(row, value):
            check(row)
            rows.changed.append(row)


def _normalised_place(organisation: Organisation) -> Place:
    return (
        normalise_organisation_name(organisation.name),
        normalise_province(organisation.province),
        normalise_district(organisation.district),
    )


def _organisations_at(places: set[Place]) -> dict[Place, Organisation]:
    """Stored organisations at these exact places (few: sheets that matched none)."""
    found: dict[Place, Organisation] = {}
    names = sorted({p[0] for p in places})
    for start in range(0, len(names), CHUNK):
        for o in Organisation.objects.filter(name__in=names[start : start + CHUNK]):
            if (o.name, o.province, o.district) in places:
                found[(o.name, o.province, o.district)] = o
    return found


def _lock(assessment_ids: Iterable[int]) -> None:
    ids = sorted(assessment_ids)
    for chunk in _chunks(ids):
        list(Assessment.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))


def _agency_type_now(
    sheet: BatchSheet,
    organisation: Organisation | None,
    latest: dict[int, int],
    latest_new: dict[int, int],
) -> str:
    """The organisation's current type: an older year's sheet does not change it."""
    if organisation is None:
        return sheet.agency_type
    year = latest.get(organisation.pk) if organisation.pk else latest_new.get(id(organisation))
    return organisation.agency_type if year and year > sheet.fiscal_year else sheet.agency_type


def _note_year(
    organisation: Organisation, year: int, latest: dict[int, int], latest_new: dict[int, int]
) -> None:
    """The sheet's year counts for the sheets after it (as the per-sheet path saw it)."""
    if organisation.pk is not None:
        latest[organisation.pk] = max(latest.get(organisation.pk, 0), year)
    else:
        latest_new[id(organisation)] = max(latest_new.get(id(organisation), 0), year)
