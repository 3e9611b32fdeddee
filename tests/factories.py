from __future__ import annotations

import factory

from ita.models import AgencyType, Assessment, Division, Framework, Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"องค์การบริหารส่วนตำบลทดสอบ {n}")
    agency_type = AgencyType.SAO
    district = "เมือง"
    province = "สระแก้ว"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.LazyFunction(lambda: Framework.objects.get(fiscal_year=2568))
    agency_type = AgencyType.SAO


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"กองทดสอบ {n}")


# --- Analysis pages (issue 3): users, memberships and whole assessments ---------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-1234-user")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ita.Membership"

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def khlong_hin_pun_2568(organisation: Organisation | None = None) -> Assessment:
    """The reference document's 2568 results (every question), saved through the service."""
    from ita.demo import reference_data, reference_results
    from ita.services import results_save

    data = reference_data()
    organisation = organisation or OrganisationFactory(
        name=data["organisation"]["name"],
        district=data["organisation"]["district"],
        province=data["organisation"]["province"],
    )
    return results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=2568),
        agency_type=AgencyType.SAO,
        results=reference_results(data),
    )


def indicator_scores_year(
    organisation: Organisation,
    fiscal_year: int,
    scores: list[str],
    *,
    overall: str | None = None,
    level: str = "",
) -> Assessment:
    """A year with only its 10 published indicator scores (as older years usually are)."""
    from decimal import Decimal

    from ita.results import IndicatorValue, ResultSet
    from ita.services import results_save

    return results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=fiscal_year),
        agency_type=AgencyType.SAO,
        results=ResultSet(
            overall=Decimal(overall) if overall else None,
            level=level,
            indicators={n: IndicatorValue(Decimal(s)) for n, s in enumerate(scores, start=1)},
        ),
    )
