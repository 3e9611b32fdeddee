from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ita.models import (
    AgencyType,
    Assessment,
    IndicatorResult,
    ItemResult,
    Organisation,
    QuestionScore,
)
from ita.queries import assessment_with_details, scores_for
from ita.results import IndicatorValue, ItemValue, ResultSet
from ita.services import organisation_upsert, results_save
from tests.factories import OrganisationFactory

D = Decimal


def full_results() -> ResultSet:
    return ResultSet(
        overall=D("94.39"),
        level="ผ่านดี",
        tools={"IIT": D("97.54")},
        indicators={1: IndicatorValue(D("98.07"), "วิเคราะห์"), 9: IndicatorValue(D("98.25"))},
        questions={("i1", None): D("96.32"), ("e1", "public"): D("89.76")},
        items={"o16": ItemValue(D("50"), "partial", "ได้คะแนน 50.00")},
    )


@pytest.mark.django_db
def test_results_save_creates_every_published_value(framework_2568):
    org = OrganisationFactory()

    assessment = results_save(
        organisation=org, framework=framework_2568, agency_type=AgencyType.SAO,
        results=full_results(),
    )  # fmt: skip

    assessment = assessment_with_details(assessment.pk)
    assert assessment.published_overall == D("94.39")
    assert [(r.indicator.number, r.score) for r in assessment.indicator_results.all()] == [
        (1, D("98.07")),
        (9, D("98.25")),
    ]
    assert {
        (s.question.code, s.channel and s.channel.code) for s in assessment.question_scores.all()
    } == {
        ("i1", None),
        ("e1", "public"),
    }
    item = assessment.item_results.get()
    assert (item.item.code, item.status, item.reason) == ("o16", "partial", "ได้คะแนน 50.00")


@pytest.mark.django_db
def test_results_save_replaces_what_the_assessment_held(framework_2568):
    org = OrganisationFactory()
    results_save(
        organisation=org, framework=framework_2568, agency_type="sao", results=full_results()
    )
    smaller = ResultSet(indicators={1: IndicatorValue(D("97.00"))})

    results_save(organisation=org, framework=framework_2568, agency_type="sao", results=smaller)

    assert list(IndicatorResult.objects.values_list("indicator__number", "score")) == [
        (1, D("97.00"))
    ]
    assert not QuestionScore.objects.exists()
    assert not ItemResult.objects.exists()
    assert Assessment.objects.get().published_overall is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("results", "message"),
    [
        (ResultSet(overall=D("100.01")), "0–100"),
        (ResultSet(questions={("i99", None): D(50)}), "i99"),
        (ResultSet(questions={("e1", None): D(50)}), "channel"),
        (ResultSet(questions={("i1", "public"): D(50)}), "no channel"),
        (ResultSet(indicators={11: IndicatorValue(D(50))}), "indicator 11"),
        (ResultSet(items={"o99": ItemValue(D(50))}), "o99"),
        (ResultSet(items={"o1": ItemValue(D(50), "maybe")}), "maybe"),
        (ResultSet(tools={"XYZ": D(50)}), "XYZ"),
        (ResultSet(overall=D("94.391")), "2 decimals"),
    ],
)
def test_results_save_refuses_bad_values_and_writes_nothing(framework_2568, results, message):
    org = OrganisationFactory()
    results_save(
        organisation=org, framework=framework_2568, agency_type="sao", results=full_results()
    )
    before = (
        QuestionScore.objects.count(),
        IndicatorResult.objects.count(),
        ItemResult.objects.count(),
    )

    with pytest.raises(ValidationError) as error:
        results_save(organisation=org, framework=framework_2568, agency_type="sao", results=results)

    assert message in " ".join(error.value.messages)
    after = (
        QuestionScore.objects.count(),
        IndicatorResult.objects.count(),
        ItemResult.objects.count(),
    )
    assert after == before
    assert Assessment.objects.get().published_overall == D("94.39")


@pytest.mark.django_db
def test_results_save_message_is_in_thai_and_english(framework_2568):
    with pytest.raises(ValidationError) as error:
        results_save(
            organisation=OrganisationFactory(), framework=framework_2568, agency_type="sao",
            results=ResultSet(overall=D("120")),
        )  # fmt: skip

    assert error.value.messages == ["คะแนน 120 อยู่นอกช่วง 0–100 / Score 120 is outside 0–100."]


@pytest.mark.django_db
def test_results_save_records_audit_history_only_for_real_changes(framework_2568):
    org = OrganisationFactory()
    results_save(
        organisation=org, framework=framework_2568, agency_type="sao", results=full_results()
    )
    question = QuestionScore.objects.get(question__code="i1")
    assert question.history.count() == 1

    results_save(
        organisation=org, framework=framework_2568, agency_type="sao", results=full_results()
    )
    changed = full_results()
    changed.questions[("i1", None)] = D("90.00")
    results_save(organisation=org, framework=framework_2568, agency_type="sao", results=changed)

    history = list(question.history.order_by("history_date").values_list("score", flat=True))
    assert history == [D("96.32"), D("90.00")]


@pytest.mark.django_db
def test_organisation_upsert_finds_by_name_and_place_and_updates_the_type():
    first = organisation_upsert(name="อบต.ก", province="สระแก้ว", agency_type=AgencyType.SAO)

    again = organisation_upsert(
        name="อบต.ก", province="สระแก้ว", agency_type=AgencyType.SUBDISTRICT_MUNICIPALITY
    )

    assert again.pk == first.pk
    assert Organisation.objects.get().agency_type == AgencyType.SUBDISTRICT_MUNICIPALITY


@pytest.mark.django_db
@pytest.mark.parametrize("years", [1, 3])
def test_scoring_a_list_of_assessments_costs_the_same_queries_for_1_or_3(
    years, django_assert_num_queries
):
    from ita.models import Framework
    from ita.queries import assessments_for_scoring

    org = OrganisationFactory()
    for framework in Framework.objects.filter(fiscal_year__gte=2569 - years, fiscal_year__lt=2569):
        results_save(organisation=org, framework=framework, agency_type="sao", results=ResultSet(
            indicators={1: IndicatorValue(D("90"))}
        ))  # fmt: skip

    with django_assert_num_queries(8):
        scored = [scores_for(a) for a in assessments_for_scoring()]

    assert len(scored) == years
