"""Starting a new year's framework as a copy of an earlier one (service and admin page)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from ita.models import Channel, Framework, Item, Question, RatingBand
from ita.queries import framework_catalogue
from ita.results import IndicatorValue, ResultSet
from ita.services import framework_copy, results_save
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework_2568():
    return Framework.objects.get(fiscal_year=2568)


def test_framework_copy_carries_every_code_weight_and_band(framework_2568):
    copied = framework_copy(source=framework_2568, fiscal_year=2570, name="ITA 2570")

    before, after = framework_catalogue(framework_2568), framework_catalogue(copied)
    assert (after.tools, after.indicators, after.questions, after.items) == (
        before.tools,
        before.indicators,
        before.questions,
        before.items,
    )
    assert copied.family == framework_2568.family
    assert sorted(copied.tools.values_list("code", "weight", "aggregation")) == sorted(
        framework_2568.tools.values_list("code", "weight", "aggregation")
    )
    assert list(
        RatingBand.objects.filter(framework=copied).values_list("label", "min_overall")
    ) == list(
        RatingBand.objects.filter(framework=framework_2568).values_list("label", "min_overall")
    )
    assert (
        Channel.objects.filter(tool__framework=copied).count()
        == Channel.objects.filter(tool__framework=framework_2568).count()
    )
    assert "2568" in copied.description


def test_framework_copy_leaves_the_source_and_its_results_alone(framework_2568):
    organisation = OrganisationFactory()
    results_save(
        organisation=organisation,
        framework=framework_2568,
        agency_type=organisation.agency_type,
        results=ResultSet(indicators={1: IndicatorValue(Decimal("90.00"))}),
    )
    questions = Question.objects.filter(indicator__framework=framework_2568).count()

    copied = framework_copy(source=framework_2568, fiscal_year=2570)

    assert copied.assessments.count() == 0
    assert framework_2568.assessments.count() == 1
    assert Question.objects.filter(indicator__framework=framework_2568).count() == questions
    assert (
        Item.objects.filter(indicator__framework=copied).count()
        == Item.objects.filter(indicator__framework=framework_2568).count()
    )


def test_framework_copy_to_an_existing_year_writes_nothing(framework_2568):
    count = Framework.objects.count()

    with pytest.raises(ValidationError) as error:
        framework_copy(source=framework_2568, fiscal_year=2567)

    assert "fiscal_year" in error.value.message_dict
    assert Framework.objects.count() == count


def test_framework_admin_copy_page_creates_the_next_year(admin_client, framework_2568):
    url = reverse("admin:ita_framework_copy", args=[framework_2568.pk])
    page = admin_client.get(url)

    response = admin_client.post(url, {"fiscal_year": 2570, "name": "ITA อปท. 2570"})

    assert 'value="2569"' in page.content.decode()
    copied = Framework.objects.get(fiscal_year=2570)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:ita_framework_change", args=[copied.pk])
    assert copied.name == "ITA อปท. 2570"
    change_page = admin_client.get(reverse("admin:ita_framework_change", args=[copied.pk]))
    assert url.replace(str(framework_2568.pk), str(copied.pk)) in change_page.content.decode()


def test_framework_admin_copy_refuses_an_existing_year_in_both_languages(
    admin_client, framework_2568
):
    url = reverse("admin:ita_framework_copy", args=[framework_2568.pk])

    response = admin_client.post(url, {"fiscal_year": 2567, "name": "ซ้ำ"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Fiscal year 2567 already has a framework." in body
    assert "ปีงบประมาณ 2567 มีกรอบการประเมินอยู่แล้ว" in body
    assert Framework.objects.filter(name="ซ้ำ").count() == 0


def test_framework_admin_copy_needs_the_add_permission(client, framework_2568):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_framework"))
    client.force_login(user)
    url = reverse("admin:ita_framework_copy", args=[framework_2568.pk])

    response = client.post(url, {"fiscal_year": 2570, "name": "x"})

    assert response.status_code == 403
    assert not Framework.objects.filter(fiscal_year=2570).exists()


def test_framework_copy_made_by_mistake_can_be_deleted_in_the_admin(admin_client, framework_2568):
    copied = framework_copy(source=framework_2568, fiscal_year=2590)

    response = admin_client.post(
        reverse("admin:ita_framework_delete", args=[copied.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Framework.objects.filter(fiscal_year=2590).exists()
    assert framework_2568.indicators.count() == 10


def test_tool_with_indicators_cannot_be_deleted_on_its_own(framework_2568):
    from django.db.models import RestrictedError

    tool = framework_2568.tools.get(code="IIT")

    with pytest.raises(RestrictedError):
        tool.delete()

    assert framework_2568.tools.filter(code="IIT").exists()
