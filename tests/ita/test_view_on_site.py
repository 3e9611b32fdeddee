"""The admin's "view on site" (ดูที่หน้าเว็บ) opens the page the row is about, not the admin."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from ita.models import Assessment, Organisation
from plans.models import Plan
from tests.security.conftest import KHP, demo, private_evidence  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _follow_view_on_site(client, change_url: str):
    page = client.get(change_url).content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink">([^<]+)</a>', page)
    assert link, f"no view-on-site link on {change_url}"
    assert link.group(2).strip() == "ดูที่หน้าเว็บ"
    return client.get(link.group(1), follow=True)


def test_view_on_site_of_an_assessment_opens_its_analysis(admin_client, demo):  # noqa: F811
    assessment = Assessment.objects.get(
        organisation__name__contains=KHP, framework__fiscal_year=2568
    )

    response = _follow_view_on_site(
        admin_client, reverse("admin:ita_assessment_change", args=[assessment.pk])
    )

    assert urlsplit(response.redirect_chain[-1][0]).path == reverse(
        "ita:year-dashboard", kwargs={"organisation_id": assessment.organisation_id, "year": 2568}
    )
    assert response.context["board"].year.fiscal_year == 2568
    assert response.context["organisation"] == assessment.organisation


def test_view_on_site_of_a_plan_opens_the_plan_page(admin_client, demo):  # noqa: F811
    plan = Plan.objects.get(pk=demo.plan)

    response = _follow_view_on_site(
        admin_client, reverse("admin:plans_plan_change", args=[plan.pk])
    )

    assert urlsplit(response.redirect_chain[-1][0]).path == reverse(
        "plans:plan-detail", args=[plan.pk]
    )
    assert response.context["plan"] == plan


def test_view_on_site_of_an_organisation_opens_its_dashboard(admin_client, demo):  # noqa: F811
    organisation = Organisation.objects.get(pk=demo.organisation)

    response = _follow_view_on_site(
        admin_client, reverse("admin:ita_organisation_change", args=[organisation.pk])
    )

    assert urlsplit(response.redirect_chain[-1][0]).path == reverse(
        "ita:dashboard", kwargs={"organisation_id": organisation.pk}
    )
    assert response.context["organisation"] == organisation
