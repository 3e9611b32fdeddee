"""Writes that span rows: saving an assessment's published results, copying a framework."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ita.models import (
    Assessment,
    Framework,
    IndicatorResult,
    ItemResult,
    Organisation,
    QuestionScore,
    ToolResult,
)
from ita.models.frameworks import new_figures_version
from ita.orgnames import normalise_district, normalise_organisation_name, normalise_province
from ita.peers.services import peers_touch
from ita.queries import FrameworkLookup, framework_catalogue, framework_lookup
from ita.results import ResultSet, validate


def organisation_upsert(
    *, name: str, province: str, district: str = "", agency_type: str
) -> Organisation:
    """Find an organisation by name and place, creating it (or updating its type) as needed.

    Names and places are looked up in the stored spelling (`ita.orgnames`), which
    `Organisation.clean` gives every saved row."""
    name = normalise_organisation_name(name)
    province = normalise_province(province)
    district = normalise_district(district)
    organisation = Organisation.objects.filter(
        name=name, province=province, district=district
    ).first()
    if organisation is None:
        organisation = Organisation(
            name=name, province=province, district=district, agency_type=agency_type
        )
    elif organisation.agency_type == agency_type:
        return organisation
    else:
        organisation.agency_type = agency_type
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def results_save(
    *,
    organisation: Organisation,
    framework: Framework,
    agency_type: str,
    results: ResultSet,
    note: str | None = None,
    lookup: FrameworkLookup | None = None,
) -> Assessment:
    """Make the assessment hold exactly `results` (what is absent is removed).

    Everything is validated before the first write; any error raises ValidationError and
    the database is left as it was. An importer saving many sheets of one year passes the
    year's `lookup` (`framework_lookup`) so that it is read once, not once per sheet.
    """
    lookup = lookup if lookup is not None else framework_lookup(framework)
    errors = validate(results, framework_catalogue(framework, lookup))
    if errors:
        raise ValidationError(errors)

    assessment = (
        Assessment.objects.select_for_update()
        .filter(organisation=organisation, framework=framework)
        .first()
    ) or Assessment(organisation=organisation, framework=framework)
    assessment.agency_type = agency_type
    assessment.published_overall = results.overall
    assessment.published_level = results.level.strip()
    if note is not None:
        assessment.note = note
    assessment.full_clean()
    assessment.figures_version = new_figures_version()  # its cached year figures are old
    assessment.save()
    peers_touch(framework_id=framework.pk, assessment_ids=[assessment.pk])

    _sync(
        ToolResult,
        ["score"],
        assessment.tool_results.select_related("tool"),
        {lookup.tools[code]: score for code, score in results.tools.items()},
        key=lambda row: row.tool,
        build=lambda tool, score: ToolResult(assessment=assessment, tool=tool, score=score),
        update=lambda row, score: _set(row, score=score),
    )
    _sync(
        IndicatorResult,
        ["score", "analysis"],
        assessment.indicator_results.select_related("indicator"),
        {lookup.indicators[n]: value for n, value in results.indicators.items()},
        key=lambda row: row.indicator,
        build=lambda ind, value: IndicatorResult(
            assessment=assessment, indicator=ind, score=value.score, analysis=value.analysis
        ),
        update=lambda row, value: _set(row, score=value.score, analysis=value.analysis),
    )
    _sync(
        QuestionScore,
        ["score"],
        assessment.question_scores.select_related("question", "channel"),
        {
            (lookup.questions[code], lookup.channels.get((lookup.questions[code], channel))): score
            for (code, channel), score in results.questions.items()
        },
        key=lambda row: (row.question, row.channel),
        build=lambda key, score: QuestionScore(
            assessment=assessment, question=key[0], channel=key[1], score=score
        ),
        update=lambda row, score: _set(row, score=score),
    )
    _sync(
        ItemResult,
        ["score", "status", "reason"],
        assessment.item_results.select_related("item"),
        {lookup.items[code]: value for code, value in results.items.items()},
        key=lambda row: row.item,
        build=lambda item, value: ItemResult(
            assessment=assessment,
            item=item,
            score=value.score,
            status=value.status,
            reason=value.reason,
        ),
        update=lambda row, value: _set(
            row, score=value.score, status=value.status, reason=value.reason
        ),
    )
    return assessment


def _set(row: object, **values: object) -> bool:
    """Assign values; say whether anything changed (so history records real edits only)."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _sync(model, fields, existing, wanted, *, key, build, update) -> None:  # type: ignore[no-untyped-def]
    """Bring a set of child rows in line with `wanted` (key -> value).

    New and changed rows are written in bulk with their audit history (simple-history's
    bulk helpers), unchanged rows not at all, so the history records real edits only.
    Uniqueness needs no check per row (`wanted` has one value per key of this assessment),
    nor do the foreign keys (they come from the framework's `lookup`): only the values are
    validated, which spares a query per row and foreign key.
    """
    relations = [f.name for f in model._meta.fields if f.is_relation]
    current = {key(row): row for row in existing}
    for row_key, row in current.items():
        if row_key not in wanted:
            row.delete()
    created, changed = [], []
    for row_key, value in wanted.items():
        row = current.get(row_key)
        if row is None:
            row = build(row_key, value)
            created.append(row)
        elif update(row, value):
            changed.append(row)
        else:
            continue
        row.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    if created:
        bulk_create_with_history(created, model)
    if changed:
        bulk_update_with_history(changed, model, fields)


@transaction.atomic
def framework_copy(*, source: Framework, fiscal_year: int, name: str = "") -> Framework:
    """A new year's framework that starts as a copy of `source`, to be edited from there.

    Frameworks change from year to year, but mostly a little: staff copy last year's and
    change what the NACC changed. Tools (with their channels), rating bands, indicators,
    questions and items are copied; results never are. The new framework is validated
    before anything is written (an existing fiscal year is refused).
    """
    framework = Framework(
        fiscal_year=fiscal_year,
        family=source.family,
        name=name or source.name,
        description=gettext("Copied from fiscal year %(year)s.") % {"year": source.fiscal_year}
        + (f"\n\n{source.description}" if source.description else ""),
    )
    framework.full_clean()
    framework.save()

    tools = {}
    for tool in source.tools.prefetch_related("channels"):
        source_pk, channels = tool.pk, list(tool.channels.all())
        tools[source_pk] = _clone(tool, framework=framework)
        for channel in channels:
            _clone(channel, tool=tools[source_pk])
    for band in source.rating_bands.all():
        _clone(band, framework=framework)
    for indicator in source.indicators.prefetch_related("questions", "items"):
        questions, items = list(indicator.questions.all()), list(indicator.items.all())
        copied = _clone(indicator, framework=framework, tool=tools[indicator.tool_id])
        for question in questions:
            _clone(question, indicator=copied)
        for item in items:
            _clone(item, indicator=copied)
    return framework


def _clone(row: Model, **changes: object) -> Model:
    """Save `row` as a new row with `changes` (the documented way: no pk, adding state)."""
    row.pk = None
    row._state.adding = True
    for field, value in changes.items():
        setattr(row, field, value)
    row.full_clean()
    row.save()
    return row
