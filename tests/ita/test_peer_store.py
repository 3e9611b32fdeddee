"""The stored peer aggregates (`ita.peers.services`) give the page exactly what a GROUP BY
over the year's rows gives (`tests.ita.peers_reference`), and stay so after every write."""

from __future__ import annotations

import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ita.models import Assessment, Framework, PeerCell, PeerStanding, PeerYear
from ita.peers import services as peer_services
from ita.peers.queries import peer_report
from ita.peers.services import peers_batch, peers_refresh
from tests.factories import OrganisationFactory
from tests.ita.peer_data import PROVINCES, TYPES, random_results, save
from tests.ita.peers_reference import peer_report_grouped

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    rng = random.Random(2568)
    organisations = []
    for n in range(24):
        organisation = OrganisationFactory(
            name=f"อปท.ทดสอบ {n:02d}",
            province=rng.choice(PROVINCES),
            agency_type=rng.choice(TYPES),
        )
        save(organisation, random_results(rng))
        if n % 4 == 0:
            save(organisation, random_results(rng), year=2567)  # another year, not compared
        organisations.append(organisation)
    return rng, organisations


def assert_same_as_grouped(organisations) -> None:
    for organisation in organisations:
        assert peer_report(organisation, 2568) == peer_report_grouped(organisation, 2568)


def test_stored_peers_equal_the_grouped_figures_for_every_organisation(country):
    _rng, organisations = country

    assert_same_as_grouped(organisations)

    framework = Framework.objects.get(fiscal_year=2568)
    assert PeerYear.objects.get(framework=framework).current
    assert PeerStanding.objects.filter(framework=framework).count() == 24
    assert not PeerCell.objects.filter(framework__fiscal_year=2567).exists()  # not yet asked


def test_stored_peers_follow_results_and_organisation_edits(country):
    rng, organisations = country
    assert_same_as_grouped(organisations[:1])  # the year's rows are now stored

    save(organisations[5], random_results(rng))
    assert_same_as_grouped(organisations)
    moved = organisations[7]
    moved.province = "ตราด" if moved.province != "ตราด" else "สระแก้ว"
    moved.save()
    assert_same_as_grouped(organisations)
    Assessment.objects.filter(organisation=organisations[9]).delete()
    assert_same_as_grouped([o for o in organisations if o != organisations[9]])


def test_many_writes_in_one_transaction_refresh_the_year_once_on_commit(country):
    rng, organisations = country
    framework = Framework.objects.get(fiscal_year=2568)

    with transaction.atomic():
        for organisation in organisations[:10]:
            save(organisation, random_results(rng))
        pending = [
            func
            for _savepoints, func, _robust in transaction.get_connection().run_on_commit
            if getattr(func, "peer_framework_id", None) == framework.pk
        ]

    assert len(pending) == 1  # one pass for the whole batch (the test never commits)
    assert not PeerYear.objects.get(framework=framework).current
    pending[0]()
    assert PeerYear.objects.get(framework=framework).current
    assert_same_as_grouped(organisations)


def test_a_refresh_reads_a_fixed_number_of_queries(country, django_assert_max_num_queries):
    framework = Framework.objects.get(fiscal_year=2568)
    PeerYear.objects.filter(framework=framework).update(version=99)

    # lock, three reads, two deletes, two inserts, the version; savepoint in and out.
    with django_assert_max_num_queries(12):
        peers_refresh(framework_id=framework.pk)

    assert PeerYear.objects.get(framework=framework).current


def test_deleting_many_assessments_marks_the_year_once(country):
    _rng, organisations = country
    framework = Framework.objects.get(fiscal_year=2568)
    peers_refresh(framework_id=framework.pk)
    doomed = Assessment.objects.filter(framework=framework, organisation__in=organisations[:12])

    with CaptureQueriesContext(connection) as queries:
        doomed.delete()

    marks = [q["sql"] for q in queries.captured_queries if '"ita_peeryear"' in q["sql"]]
    assert len(marks) == 1  # one update of the year's version, not one per assessment

    assert not PeerYear.objects.get(framework=framework).current
    assert_same_as_grouped(organisations[12:])


def test_a_batch_of_writes_refreshes_each_touched_year_once_at_its_end(country, monkeypatch):
    rng, organisations = country
    assert_same_as_grouped(organisations[:1])  # the year's rows are now stored
    refreshed: list[int] = []
    refresh = peer_services.peers_refresh

    def counted(**kwargs):
        refreshed.append(kwargs["framework_id"])
        refresh(**kwargs)

    monkeypatch.setattr(peer_services, "peers_refresh", counted)

    with peers_batch():
        for organisation in organisations[:6]:  # as many files, each its own transaction
            with transaction.atomic():
                save(organisation, random_results(rng))
        save(organisations[0], random_results(rng), year=2567)
        assert refreshed == []
        assert not PeerYear.objects.get(framework__fiscal_year=2568).current

    years = dict(Framework.objects.values_list("pk", "fiscal_year"))
    assert sorted(years[pk] for pk in refreshed) == [2567, 2568]
    assert PeerYear.objects.get(framework__fiscal_year=2568).current
    assert_same_as_grouped(organisations)


def test_the_stored_ranking_places_every_assessment_of_the_province(country):
    _rng, organisations = country
    framework = Framework.objects.get(fiscal_year=2568)

    peers_refresh(framework_id=framework.pk)

    for province in PROVINCES:
        stored = list(
            PeerStanding.objects.filter(framework=framework, province=province)
            .order_by("position")
            .values_list("position", flat=True)
        )
        members = Assessment.objects.filter(framework=framework, organisation__province=province)
        assert stored == list(range(members.count()))
    for organisation in organisations:
        report = peer_report(organisation, 2568)
        own = report.ranking[report.ranking_position]
        assert own.own and own.name == organisation.name
