"""The plan panels shown on the analysis pages: the dashboard's plan card and an indicator's
planned actions.

The analysis app sits below this one and never imports it; its pages load these panels
through the ``plans_panels`` template tags, so the dependency runs downwards only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from ita.models import Organisation
from plans.models import Action, ActionStatus, Plan
from plans.outcome_queries import plan_outcomes
from plans.outcomes import OutcomeSummary, summarise


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class PlanSummary:
    """The dashboard's link to the improvement plan; empty until there is a plan."""

    fiscal_year: int | None = None
    url: str = ""
    counts: tuple[StatusCount, ...] = ()

    @property
    def available(self) -> bool:
        return self.fiscal_year is not None

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


def plan_summary(organisation: Organisation, analysed_year: int | None) -> PlanSummary:
    """The plan drawn from the `analysed_year` assessment, with its actions counted by status.

    Empty when there is no such plan. Two queries.
    """
    if analysed_year is None:
        return PlanSummary()
    plan = (
        Plan.objects.filter(
            organisation=organisation, assessment__framework__fiscal_year=analysed_year
        )
        .order_by("fiscal_year", "pk")
        .first()
    )
    if plan is None:
        return PlanSummary()
    labels = dict(ActionStatus.choices)
    counted = {
        row["status"]: row["n"]
        for row in Action.objects.filter(plan=plan)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    order = list(labels) + sorted(set(counted) - set(labels))
    return PlanSummary(
        fiscal_year=plan.fiscal_year,
        url=plan.get_absolute_url(),
        counts=tuple(
            StatusCount(status=s, label=str(labels.get(s, s)), count=counted.get(s, 0))
            for s in order
        ),
    )


@dataclass(frozen=True)
class PlannedAction:
    plan_year: int
    plan_url: str
    url: str
    analysed_year: int
    code: str  # the question or item the action targets, if any
    finding: str
    measure: str
    start_month: date | None
    end_month: date | None
    divisions: tuple[str, ...]
    all_divisions: bool
    status: str
    status_label: str


def planned_actions(organisation: Organisation, family: str, number: int) -> list[PlannedAction]:
    """Every plan's actions for indicator `number` of a framework family, newest plan first.

    Two queries (actions, their divisions).
    """
    actions = (
        Action.objects.filter(
            plan__organisation=organisation,
            indicator__number=number,
            indicator__framework__family=family,
        )
        .select_related("plan", "indicator__framework", "question", "item")
        .prefetch_related("divisions")
        .order_by("-plan__fiscal_year", "order", "pk")
    )
    return [
        PlannedAction(
            plan_year=a.plan.fiscal_year,
            plan_url=a.plan.get_absolute_url(),
            url=a.get_absolute_url(),
            analysed_year=a.indicator.framework.fiscal_year,
            code=(a.question.code if a.question else a.item.code if a.item else ""),
            finding=a.finding,
            measure=a.measure,
            start_month=a.start_month,
            end_month=a.end_month,
            divisions=tuple(d.name for d in a.divisions.all()),
            all_divisions=a.all_divisions,
            status=a.status,
            status_label=str(a.get_status_display()),
        )
        for a in actions
    ]


@dataclass(frozen=True)
class PreviousOutcomes:
    """On the new year's dashboard: did the measures of the plan drawn from last year work?"""

    plan_year: int | None = None
    url: str = ""
    summary: OutcomeSummary | None = None

    @property
    def available(self) -> bool:
        return self.summary is not None and self.summary.judged > 0


def previous_outcomes(organisation: Organisation, analysed_year: int | None) -> PreviousOutcomes:
    """The verdicts of the plan drawn from the year before `analysed_year`, summarised."""
    if analysed_year is None:
        return PreviousOutcomes()
    plan = (
        Plan.objects.select_related("assessment__framework")
        .filter(organisation=organisation, assessment__framework__fiscal_year=analysed_year - 1)
        .order_by("fiscal_year", "pk")
        .first()
    )
    if plan is None:
        return PreviousOutcomes()
    return PreviousOutcomes(
        plan_year=plan.fiscal_year,
        url=plan.get_absolute_url(),
        summary=summarise(plan_outcomes(plan)),
    )
