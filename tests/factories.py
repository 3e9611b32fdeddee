from __future__ import annotations

import factory

from ita.models import AgencyType, Assessment, Framework, Organisation
from plans.models import Division


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
