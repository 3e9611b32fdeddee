from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ita.demo import demo_load
from ita.models import Assessment, Division, Framework, Membership, Organisation
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from plans import services
from plans.demo import REFERENCE_ACTIONS, load_reference_plan
from plans.models import Plan
from plans.roles import GROUP_NAMES, Role
from tests.factories import OrganisationFactory


@pytest.fixture
def reference(db) -> Assessment:
    """อบต.คลองหินปูน 2568 as published, with its 2569 plan (part 2 of the document)."""
    summary = demo_load(peers=False)
    assessment = summary.assessments[0]
    load_reference_plan(organisation=assessment.organisation, assessment=assessment)
    return assessment


@pytest.fixture
def reference_plan(reference) -> Plan:
    return Plan.objects.get(organisation=reference.organisation, fiscal_year=2569)


def user_with_role(organisation: Organisation, role: Role | None, username: str):
    user = get_user_model().objects.create_user(username=username, password="pass-1234-user")
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def supervisor(reference):
    return user_with_role(reference.organisation, Role.SUPERVISOR, "supervisor")


@pytest.fixture
def staff_user(reference):
    return user_with_role(reference.organisation, Role.STAFF, "clerk")


@pytest.fixture
def outsider(db):
    return user_with_role(OrganisationFactory(), Role.SUPERVISOR, "outsider")


INDICATOR_SCORES = [
    "91.20", "93.40", "94.00", "88.70", "89.50", "89.90", "87.60", "86.80", "92.00", "87.50",
]  # fmt: skip


def organisation_with_years(years: list[int]) -> Organisation:
    """An organisation with indicator scores (and overall) in each of `years`."""
    organisation = OrganisationFactory()
    for year in years:
        results_save(
            organisation=organisation,
            framework=Framework.objects.get(fiscal_year=year),
            agency_type=organisation.agency_type,
            results=ResultSet(
                overall=Decimal("90.00"),
                level="ผ่าน",
                indicators={
                    n: IndicatorValue(Decimal(s)) for n, s in enumerate(INDICATOR_SCORES, 1)
                },
            ),
        )
    return organisation


def plan_with_actions(organisation: Organisation, count: int, *, fiscal_year: int = 2569) -> Plan:
    """A draft plan from the organisation's latest assessment with `count` reference actions."""
    assessment = (
        Assessment.objects.filter(organisation=organisation)
        .order_by("-framework__fiscal_year")
        .first()
    )
    assert assessment is not None
    plan = services.plan_create(
        organisation=organisation, assessment=assessment, fiscal_year=fiscal_year
    )
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    divisions = [
        Division.objects.get_or_create(organisation=organisation, name=name)[0]
        for name in ("สำนักปลัด", "กองคลัง")
    ]
    for index in range(count):
        spec = REFERENCE_ACTIONS[index % len(REFERENCE_ACTIONS)]
        action = services.action_create(
            plan=plan,
            indicator=indicators[spec.indicator],
            finding=spec.finding,
            measure=spec.measure,
            steps=spec.steps,
        )
        services.action_assign(action=action, divisions=divisions[: 1 + index % 2])
    return plan


@contextmanager
def another_thread_rendering() -> Iterator[None]:
    """While inside, another thread of this process is rendering a document (as a request
    of another gthread thread would): documents.exports.children forks no child then."""
    from documents.exports import children

    inside, leave = threading.Event(), threading.Event()

    def other_render() -> None:
        with children.rendering():
            inside.set()
            leave.wait(30)

    other = threading.Thread(target=other_render)
    other.start()
    inside.wait(30)
    try:
        yield
    finally:
        leave.set()
        other.join()
