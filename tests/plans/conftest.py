"""Personas and data of the plans tests: อบต.คลองหินปูน with its 2568 results, its divisions,
one user per role, and an outsider from another organisation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ita.demo import reference_data, reference_results
from ita.models import Assessment, Division, Framework, Membership, Organisation
from ita.services import organisation_upsert, results_save
from plans.roles import GROUP_NAMES, Role

PASSWORD = "pass-1234-plans"


@pytest.fixture(autouse=True)
def plans_settings(settings, tmp_path):
    # With DEBUG off the manifest storage needs collectstatic; these tests render pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PLANS_EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "en"
    # Seven personas per test: the default hasher would take seconds to create them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def assessment_2568(db) -> Assessment:
    """Khlong Hin Pun's published 2568 results, as the ita demo loads them."""
    data = reference_data()
    org = data["organisation"]
    organisation = organisation_upsert(
        name=org["name"],
        district=org["district"],
        province=org["province"],
        agency_type=org["agency_type"],
    )
    return results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=2568),
        agency_type=org["agency_type"],
        results=reference_results(data),
    )


@pytest.fixture
def organisation(assessment_2568) -> Organisation:
    return assessment_2568.organisation


@pytest.fixture
def divisions(organisation) -> dict[str, Division]:
    names = ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    return {
        name: Division.objects.create(organisation=organisation, name=name, order=order)
        for order, name in enumerate(names, start=1)
    }


@dataclass
class People:
    administrator: object
    supervisor: object
    finance_clerk: object
    office_clerk: object
    viewer: object
    no_role: object
    outsider: object

    def all(self) -> dict[str, object]:
        return dict(vars(self))


def make_user(username: str, *, role: Role | None, organisation, division=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    Membership.objects.create(user=user, organisation=organisation, division=division)
    return user


@pytest.fixture
def people(organisation, divisions) -> People:
    other = Organisation.objects.create(
        name="เทศบาลตำบลอื่น", agency_type="subdistrict", province="สระแก้ว"
    )
    return People(
        administrator=make_user(
            "admin1", role=Role.ADMINISTRATOR, organisation=organisation, is_staff=True
        ),
        supervisor=make_user(
            "chief",
            role=Role.SUPERVISOR,
            organisation=organisation,
            division=divisions["สำนักปลัด"],
            is_staff=True,
        ),
        finance_clerk=make_user(
            "finance", role=Role.STAFF, organisation=organisation, division=divisions["กองคลัง"]
        ),
        office_clerk=make_user(
            "office", role=Role.STAFF, organisation=organisation, division=divisions["สำนักปลัด"]
        ),
        viewer=make_user("viewer", role=Role.VIEWER, organisation=organisation),
        no_role=make_user("norole", role=None, organisation=organisation),
        outsider=make_user("outsider", role=Role.SUPERVISOR, organisation=other, is_staff=True),
    )


def build_plan(assessment, divisions, *, approve_by=None, fiscal_year=None):
    """The 2569 plan as the flow makes it: drafted actions (without o16), assigned like the
    reference document (4 กองคลัง, 6 ทุกกอง, the rest สำนักปลัด), optionally approved."""
    from plans import queries, services
    from plans.services import ActionDraft

    plan = services.plan_create(
        organisation=assessment.organisation, assessment=assessment, fiscal_year=fiscal_year
    )
    drafts = [
        ActionDraft(p.indicator_number, p.item_code, p.finding, p.measure, p.steps)
        for p in queries.plan_proposals(plan)
        if p.item_code != "o16"
    ]
    for action in services.actions_add_from_drafts(plan=plan, drafts=drafts):
        number = action.indicator.number
        services.action_assign(
            action=action,
            divisions=[divisions["กองคลัง"]]
            if number == 4
            else []
            if number == 6
            else [divisions["สำนักปลัด"]],
            all_divisions=number == 6,
        )
    if approve_by is not None:
        plan = services.plan_approve(plan=plan, user=approve_by)
    return plan


@pytest.fixture
def draft_plan(assessment_2568, divisions):
    return build_plan(assessment_2568, divisions)


@pytest.fixture
def approved_plan(assessment_2568, divisions, people):
    return build_plan(assessment_2568, divisions, approve_by=people.supervisor)


def next_assessment(assessment, scores: dict[int, str] | None = None):
    """The organisation's results of the year after `assessment`, in that year's shipped
    framework: the same indicator scores, changed where `scores` says."""
    from decimal import Decimal

    from ita.models import IndicatorResult

    year = assessment.framework.fiscal_year + 1
    later = Assessment.objects.create(
        organisation=assessment.organisation,
        framework=Framework.objects.get(fiscal_year=year),
        agency_type=assessment.agency_type,
    )
    before = {
        r.indicator.number: r.score
        for r in IndicatorResult.objects.filter(assessment=assessment).select_related("indicator")
    }
    for indicator in later.framework.indicators.all():
        score = (scores or {}).get(indicator.number)
        value = Decimal(score) if score is not None else before.get(indicator.number)
        if value is not None:
            IndicatorResult.objects.create(assessment=later, indicator=indicator, score=value)
    return later


@pytest.fixture
def assessment_2569(assessment_2568) -> Assessment:
    return next_assessment(assessment_2568)
