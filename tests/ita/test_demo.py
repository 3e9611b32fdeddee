from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from ita.demo import FICTIONAL_NAME, FICTIONAL_PEERS
from ita.models import Assessment, Division, IndicatorResult, Organisation, QuestionScore
from ita.peers.queries import peer_report
from ita.peers.rules import Scope
from ita.queries import assessments_for_scoring, scores_for

D = Decimal
REFERENCE = "องค์การบริหารส่วนตำบลคลองหินปูน"


@pytest.mark.django_db
def test_load_demo_reproduces_the_reference_2568_result():
    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())

    assessment = assessments_for_scoring().get(organisation__name=REFERENCE)
    scores = scores_for(assessment)

    assert assessment.published_overall == D("94.39")
    assert scores.overall.computed_rounded == D("94.39")
    assert (assessment.published_level, scores.computed_level) == ("ผ่านดี", "ผ่านดี")
    assert [n for n in range(1, 8) if scores.indicator(n).check.mismatch] == []
    assert scores.indicator(8).check.computed_rounded == D("90.29")
    assert scores.mismatches == ["indicator 8"]


@pytest.mark.django_db
def test_load_demo_holds_every_reference_question_and_the_analysis_text():
    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())

    scores = QuestionScore.objects.filter(assessment__organisation__name=REFERENCE)
    indicator_4 = IndicatorResult.objects.get(
        assessment__organisation__name=REFERENCE, indicator__number=4
    )

    assert scores.filter(channel__isnull=True).count() == 15
    assert scores.filter(channel__code="public").count() == 9
    assert scores.filter(channel__code="survey").count() == 9
    assert indicator_4.score == D("94.38")
    assert "ขอยืมทรัพย์สิน" in indicator_4.analysis


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_creates_the_login_and_divisions():
    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())
    counts = (Assessment.objects.count(), QuestionScore.objects.count(), Division.objects.count())

    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())

    assert (
        Assessment.objects.count(),
        QuestionScore.objects.count(),
        Division.objects.count(),
    ) == counts
    # The two main organisations (the fictional one 2563–2569), then 12 peers × 3 years.
    assert counts[0] == 8 + 12 * 3
    assert set(Division.objects.values_list("name", flat=True)) >= {"สำนักปลัด", "กองคลัง", "กองช่าง"}
    assert authenticate(username="demo", password="demo-ita-2568") is not None


@pytest.mark.django_db
def test_load_demo_fictional_organisation_is_consistent_every_year():
    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())

    fictional = assessments_for_scoring().filter(organisation__name=FICTIONAL_NAME)
    years = {a.fiscal_year: scores_for(a) for a in fictional}

    assert sorted(years) == [2563, 2564, 2565, 2566, 2567, 2568, 2569]
    assert all(not s.has_mismatch for s in years.values())
    assert [years[y].computed_level for y in (2563, 2565, 2566, 2568)] == ["D", "B", "ผ่าน", "ผ่านดี"]


@pytest.mark.django_db
def test_load_demo_gives_the_fictional_organisation_peers_in_its_province():
    call_command("load_demo", "--i-know-this-is-not-production", stdout=StringIO())
    fictional = Organisation.objects.get(name=FICTIONAL_NAME)

    report = peer_report(fictional, 2568)

    assert report.overall.stat(Scope.PROVINCE_TYPE).count == 5  # ทต. in สาธิต, itself included
    assert report.overall.stat(Scope.PROVINCE).count == 13
    assert report.overall.stat(Scope.PROVINCE).enough
    peers = assessments_for_scoring().filter(
        organisation__name__in=[n for n, _t, _s in FICTIONAL_PEERS]
    )
    assert all(not scores_for(a).has_mismatch for a in peers)
    assert peers.count() == 36
    assert Organisation.objects.filter(province="สระแก้ว").count() == 1  # none beside the real one


@pytest.mark.django_db
def test_load_demo_without_peers_loads_only_the_two_main_organisations():
    call_command("load_demo", "--no-peers", "--i-know-this-is-not-production", stdout=StringIO())

    assert Organisation.objects.count() == 2
    assert Assessment.objects.count() == 8
