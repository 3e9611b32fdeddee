from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from ita.models import Assessment, Framework, Organisation
from ita.prepared import PreparedValues
from tests.factories import AssessmentFactory, OrganisationFactory, UserFactory


def _scores(organisation_id: int, fiscal_year: int):
    return (
        Assessment.objects.filter(
            organisation_id=organisation_id, framework__fiscal_year=fiscal_year
        )
        .order_by("pk")
        .values_list("pk", "published_overall", "framework__fiscal_year", "organisation__name")
    )


SCORES = PreparedValues(_scores)


def _by_province(province: str):
    return Organisation.objects.filter(province=province).order_by("pk").values_list("pk", "name")


BY_PROVINCE = PreparedValues(_by_province)


@pytest.mark.django_db
def test_prepared_values_give_the_querysets_own_rows_for_each_new_value(framework_2568):
    first, second = OrganisationFactory(), OrganisationFactory(province="ตราด")
    AssessmentFactory(organisation=first, published_overall=Decimal("87.25"))
    AssessmentFactory(organisation=second, published_overall=None)

    rows = [SCORES(organisation_id=o.pk, fiscal_year=2568) for o in (first, second)]
    elsewhere = SCORES(organisation_id=first.pk, fiscal_year=2567)

    assert (
        rows[0]
        == list(_scores(first.pk, 2568))
        == [(first.assessments.get().pk, Decimal("87.25"), 2568, first.name)]
    )
    assert rows[1] == list(_scores(second.pk, 2568))
    assert rows[1][0][1] is None
    assert elsewhere == []
    assert BY_PROVINCE(province="ตราด") == [(second.pk, second.name)]
    assert BY_PROVINCE(province="สระแก้ว") == [(first.pk, first.name)]


@pytest.mark.django_db
def test_prepared_values_convert_columns_as_the_orm_does(framework_2568):
    assessment = AssessmentFactory(published_overall=Decimal("90.5"))
    framework = Framework.objects.get(pk=framework_2568.pk)
    user = UserFactory(is_active=False)

    def frameworks(pk: int):
        return Framework.objects.filter(pk=pk).values_list("improve_below", "fiscal_year")

    def joined(username: str):
        return User.objects.filter(username=username).values_list("date_joined", "is_active")

    (row,) = PreparedValues(frameworks)(pk=framework.pk)
    (when,) = PreparedValues(joined)(username=user.username)

    assert row == tuple(frameworks(framework.pk)[0])
    assert isinstance(row[0], Decimal) and row[0] == framework.improve_below
    assert when == (user.date_joined, False) and when[0].tzinfo is not None
    assert SCORES(organisation_id=assessment.organisation_id, fiscal_year=2568)[0][1] == Decimal(
        "90.50"
    )


@pytest.mark.django_db
def test_prepared_values_run_one_query_that_query_counting_sees(framework_2568):
    organisation = OrganisationFactory()
    SCORES(organisation_id=organisation.pk, fiscal_year=2568)

    with CaptureQueriesContext(connection) as queries:
        SCORES(organisation_id=organisation.pk, fiscal_year=2568)

    assert len(queries) == 1
    assert str(organisation.pk) in str(queries[0]["sql"])


def test_prepared_values_refuse_what_they_cannot_prepare():
    def untyped(pk):
        return Organisation.objects.filter(pk=pk).values_list("pk")

    def annotated(pk: int):
        return Organisation.objects.filter(pk=pk).annotate(n=Count("assessments")).values_list("n")

    def twice(pk: int):
        return Organisation.objects.filter(pk=pk).exclude(pk=pk).values_list("pk")

    def unused(pk: int, name: str):
        return Organisation.objects.filter(pk=pk).values_list("pk")

    with pytest.raises(TypeError, match="int or str"):
        PreparedValues(untyped)
    for build in (annotated, twice):
        with pytest.raises(TypeError):
            PreparedValues(build)._compile("default")
    with pytest.raises(TypeError, match="name must appear once"):
        PreparedValues(unused)._compile("default")
    with pytest.raises(TypeError, match="expected the values"):
        BY_PROVINCE(name="x")
