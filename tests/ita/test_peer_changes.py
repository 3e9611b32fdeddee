"""The incremental refresh (`ita.peers.changes`): after each kind of change it leaves
exactly the rows a whole pass (`peers_refresh(force=True)`) of the same data leaves, and
its queries do not grow with the organisations of other provinces."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ita.models import (
    Assessment,
    Framework,
    PeerCell,
    PeerStanding,
    PeerYear,
)
from ita.peers import changes
from ita.peers.changes import peers_refresh_changed
from ita.peers.services import peers_refresh
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from tests.factories import OrganisationFactory
from tests.ita.peer_data import PROVINCES, TYPES, random_results, save


def stored_results(assessment: Assessment) -> ResultSet:
    return ResultSet(
        overall=assessment.published_overall,
        level=assessment.published_level,
        indicators={
            r.indicator.number: IndicatorValue(r.score)
            for r in assessment.indicator_results.select_related("indicator")
        },
    )


def edit(organisation, rng: random.Random, keys: int = 2) -> Assessment:
    """The organisation's results with `keys` of its scores moved a step or two."""
    assessment = Assessment.objects.get(organisation=organisation, framework__fiscal_year=2568)
    results = stored_results(assessment)
    indicators = dict(results.indicators)
    for number in rng.sample(sorted(indicators), min(keys, len(indicators))):
        moved = indicators[number].score + rng.choice((-10, -5, 5, 10))
        indicators[number] = IndicatorValue(min(max(moved, Decimal(0)), Decimal(100)))
    overall = results.overall
    if overall is not None and rng.random() < 0.5:
        overall = min(overall + rng.choice((-3, 3)), Decimal(100))
    return save(organisation, replace(results, overall=overall, indicators=indicators))


def stored(framework: Framework) -> tuple[dict, dict]:
    cells = {
        (c.province, c.agency_type, c.key): (c.count, c.total, c.lowest, c.highest)
        for c in PeerCell.objects.filter(framework=framework)
    }
    standings = {
        s.assessment_id: (s.counts, s.province, s.agency_type, s.position, s.rank)
        for s in PeerStanding.objects.filter(framework=framework)
    }
    return cells, standings


def refreshed(framework: Framework, assessment_ids) -> tuple[str, tuple[dict, dict]]:
    """The incremental refresh's outcome and rows, and (asserted) that a whole pass over
    the same data leaves the very same rows."""
    how = peers_refresh_changed(framework_id=framework.pk, assessment_ids=set(assessment_ids))
    after = stored(framework)
    assert PeerYear.objects.get(framework=framework).current

    peers_refresh(framework_id=framework.pk, force=True)

    assert differences(stored(framework), after) == []
    return how, after


def differences(whole: tuple[dict, dict], incremental: tuple[dict, dict]) -> list:
    """Each row the two refreshes left differently, as (row, whole pass's, incremental's)."""
    found = []
    for rows, others in zip(whole, incremental, strict=True):
        for key in sorted(rows.keys() | others.keys(), key=str):
            if rows.get(key) != others.get(key):
                found.append((key, rows.get(key), others.get(key)))
    return found


@pytest.fixture
def country(db, monkeypatch):
    """40 organisations in three provinces, the year's peer rows current. Scores on a coarse
    grid put many in any change's range: the share that takes the whole pass is lifted, so
    that these changes take the incremental path, which is what is tested."""
    monkeypatch.setattr(changes, "WHOLE_PASS_SHARE", 1.0)
    rng = random.Random(2568)
    organisations = []
    for n in range(40):
        organisation = OrganisationFactory(
            name=f"อปท.ทดสอบ {n % 30:02d}",  # some names shared: the ranking's tie-break
            district=f"อำเภอ {n:02d}",
            province=PROVINCES[n % 3],
            agency_type=rng.choice(TYPES),
        )
        save(organisation, random_results(rng))
        organisations.append(organisation)
    framework = Framework.objects.get(fiscal_year=2568)
    peers_refresh(framework_id=framework.pk, force=True)
    return rng, framework, organisations


@pytest.mark.django_db
def test_incremental_refresh_of_a_score_edit_equals_the_whole_pass(country):
    rng, framework, organisations = country
    before = stored(framework)

    assessment = edit(organisations[4], rng)
    how, after = refreshed(framework, [assessment.pk])

    assert how == "changed"
    assert after != before


@pytest.mark.django_db
def test_incremental_refresh_of_an_overall_and_level_edit_equals_the_whole_pass(country):
    _rng, framework, organisations = country
    assessment = Assessment.objects.get(organisation=organisations[7], framework=framework)
    results = stored_results(assessment)
    overall = Decimal("73.00") if results.overall != Decimal("73.00") else Decimal("97.00")
    level = "ไม่ผ่าน" if results.level != "ไม่ผ่าน" else "ผ่านดีเยี่ยม"
    before = stored(framework)

    save(organisations[7], replace(results, overall=overall, level=level))
    how, after = refreshed(framework, [assessment.pk])

    assert how == "changed"
    assert after != before


@pytest.mark.django_db
def test_incremental_refresh_of_a_national_extreme_moving_inwards_equals_the_whole_pass(country):
    _rng, framework, organisations = country
    assessment = Assessment.objects.get(organisation=organisations[8], framework=framework)
    results = stored_results(assessment)
    lowest = {**results.indicators, 3: IndicatorValue(Decimal(1))}
    save(organisations[8], replace(results, indicators=lowest))
    peers_refresh(framework_id=framework.pk, force=True)  # the nation's only lowest
    key = f"indicator:{assessment.indicator_results.get(indicator__number=3).indicator_id}"
    assert stored(framework)[0][("", "", key)][2] == Decimal(1)

    inwards = {**results.indicators, 3: IndicatorValue(Decimal(99))}
    save(organisations[8], replace(results, indicators=inwards))
    how, after = refreshed(framework, [assessment.pk])

    assert how == "changed"
    assert after[0][("", "", key)][2] > Decimal(1)  # the next lowest now


@pytest.mark.django_db
def test_incremental_refresh_of_a_province_move_equals_the_whole_pass(country):
    _rng, framework, organisations = country
    moved = organisations[10]
    before = stored(framework)

    moved.province = next(p for p in PROVINCES if p != moved.province)
    moved.save()
    assessment = Assessment.objects.get(organisation=moved, framework=framework)
    how, after = refreshed(framework, [assessment.pk])

    assert how == "changed"
    assert after[1][assessment.pk][1] == moved.province
    assert after != before


@pytest.mark.django_db
def test_incremental_refresh_of_a_renamed_organisation_equals_the_whole_pass(country):
    _rng, framework, organisations = country
    renamed = organisations[2]

    renamed.name = "ก อปท.ที่ขึ้นก่อนทุกแห่ง"  # first among equal scores
    renamed.save()
    assessment = Assessment.objects.get(organisation=renamed, framework=framework)
    how, _after = refreshed(framework, [assessment.pk])

    assert how == "changed"


@pytest.mark.django_db
def test_incremental_refresh_of_several_edits_in_one_transaction_equals_the_whole_pass(country):
    rng, framework, organisations = country

    edited = [edit(o, rng, keys=3).pk for o in organisations[20:24]]
    moved = organisations[25]
    moved.province = next(p for p in PROVINCES if p != moved.province)
    moved.save()
    edited.append(edit(moved, rng).pk)
    how, _after = refreshed(framework, edited)

    assert how == "changed"


@pytest.mark.django_db
def test_incremental_refresh_of_random_edits_and_moves_equals_the_whole_pass_each_time(country):
    rng, framework, organisations = country
    outcomes = []

    for _ in range(15):
        chosen = rng.sample(organisations, rng.choice((1, 1, 2, 3)))
        ids = [edit(o, rng, keys=rng.choice((1, 2))).pk for o in chosen]
        if rng.random() < 0.4:  # and one of them moved, in the same transaction
            chosen[0].province = rng.choice([p for p in PROVINCES if p != chosen[0].province])
            chosen[0].save()
        outcomes.append(refreshed(framework, ids)[0])

    assert outcomes.count("changed") >= 10  # the rest moved too much of the year


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    ["agency type", "added", "deleted", "score removed", "not current", "most of the year"],
)
def test_changes_that_move_national_groups_take_the_whole_pass(country, monkeypatch, change):
    rng, framework, organisations = country
    organisation = organisations[12]
    assessment = Assessment.objects.get(organisation=organisation, framework=framework)

    if change == "agency type":
        other = next(t for t in TYPES if t != assessment.agency_type)
        results_save(
            organisation=organisation,
            framework=framework,
            agency_type=other,
            results=stored_results(assessment),
        )
    elif change == "added":
        newcomer = OrganisationFactory(province=PROVINCES[0], agency_type=TYPES[0])
        assessment = save(newcomer, random_results(rng))
    elif change == "deleted":
        assessment.delete()
    elif change == "score removed":
        results = stored_results(assessment)
        indicators = dict(results.indicators)
        indicators.pop(min(indicators))
        save(organisation, replace(results, indicators=indicators))
    elif change == "not current":  # another transaction changed the year, not refreshed
        PeerYear.objects.filter(framework=framework).update(version=99)
        edit(organisation, rng)
    else:  # every score between the old and the new one: most standings move
        monkeypatch.setattr(changes, "WHOLE_PASS_SHARE", 0.5)
        results = stored_results(assessment)
        indicators = {n: IndicatorValue(Decimal(100)) for n in results.indicators}
        save(organisation, replace(results, indicators=indicators))
    how, _after = refreshed(framework, [assessment.pk])

    assert how == "whole"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_entry_saved_refreshes_its_year_incrementally_on_commit(monkeypatch):
    rng = random.Random(17)
    organisations = [
        OrganisationFactory(province=PROVINCES[n % 3], agency_type=TYPES[n % 2]) for n in range(12)
    ]
    for organisation in organisations:
        save(organisation, random_results(rng))  # each commits, and is refreshed
    framework = Framework.objects.get(fiscal_year=2568)
    assert PeerYear.objects.get(framework=framework).current
    outcomes: list[str] = []
    refresh = changes.peers_refresh_changed

    def spied(**kwargs):
        outcomes.append(refresh(**kwargs))
        return outcomes[-1]

    monkeypatch.setattr(changes, "peers_refresh_changed", spied)

    edit(organisations[3], rng)  # commits: the refresh runs
    after = stored(framework)

    assert outcomes == ["changed"]
    assert PeerYear.objects.get(framework=framework).current
    peers_refresh(framework_id=framework.pk, force=True)
    assert stored(framework) == after


# Lock, the changed standings and assessments, the provinces' three kinds of rows, the
# national cells, the range query (indicators changed), the standings moved, levels,
# extremes; two deletes and an insert of cells, a delete and an insert of standings, the
# version; the savepoint in and out. PostgreSQL's inserts are COPY, not counted.
QUERIES = {"sqlite": 19, "postgresql": 17}


@pytest.mark.django_db
@pytest.mark.parametrize("elsewhere", [0, 60])
def test_incremental_refresh_queries_do_not_grow_with_other_provinces(country, elsewhere):
    rng, framework, organisations = country
    for n in range(elsewhere):
        organisation = OrganisationFactory(
            name=f"อปท.ที่อื่น {n:02d}", province="ระยอง", agency_type=TYPES[n % 3]
        )
        save(organisation, random_results(rng))
    peers_refresh(framework_id=framework.pk, force=True)
    assessment = edit(organisations[5], random.Random(5))  # the same edit either way

    with CaptureQueriesContext(connection) as queries:
        how = peers_refresh_changed(framework_id=framework.pk, assessment_ids={assessment.pk})

    assert how == "changed"
    assert len(queries.captured_queries) == QUERIES[connection.vendor]
