"""Reads of plans, actions and their follow-up, each with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext

from ita.models import Assessment, IndicatorResult, ItemResult, Organisation
from ita.prepared import PreparedValues
from ita.thai import format_date
from plans import drafting, rules
from plans.models import (
    Action,
    Division,
    Evidence,
    MeasureTemplate,
    Plan,
    PlanRevision,
    ProgressReport,
)


def overdue_q(today: date, prefix: str = "") -> Q:
    """The database form of `rules.is_overdue`: end months are stored as first days."""
    return Q(**{f"{prefix}end_month__lt": rules.month_start(today)}) & ~Q(
        **{f"{prefix}status__in": list(rules.CLOSED_STATUSES)}
    )


def _latest_percent() -> Subquery:
    return Subquery(
        ProgressReport.objects.filter(action=OuterRef("pk"))
        .order_by("-reported_on", "-pk")
        .values("percent")[:1],
        output_field=IntegerField(),
    )


def with_follow_up(actions: QuerySet[Action], today: date) -> QuerySet[Action]:
    """Actions with what every list shows: indicator, item, divisions, percent, overdue."""
    continued_in = Action.objects.filter(continued_from=OuterRef("pk"))
    return (
        actions.select_related("indicator", "item", "question", "plan", "continued_from__plan")
        .prefetch_related(Prefetch("divisions", queryset=Division.objects.order_by("order")))
        .annotate(
            latest_percent=_latest_percent(),
            # The action that carries this one on in a later plan (at most one), for links.
            continued_in_pk=Subquery(continued_in.values("pk")[:1]),
            continued_in_year=Subquery(continued_in.values("plan__fiscal_year")[:1]),
            # A draft is not running yet, so nothing in it is late.
            overdue=Case(
                When(overdue_q(today) & ~Q(plan__status=rules.DRAFT), then=Value(1)),
                default=Value(0),
            ),
        )
    )


def plans_for(organisation: Organisation, today: date) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(organisation=organisation)
        .select_related("assessment__framework", "approved_by")
        .annotate(
            action_count=Count("actions", distinct=True),
            overdue_count=Count(
                "actions",
                filter=overdue_q(today, "actions__") & ~Q(status=rules.DRAFT),
                distinct=True,
            ),
        )
        .order_by("-fiscal_year")
    )


def plan_with_actions(pk: int, today: date) -> Plan:
    """A plan with its actions in order, ready for the plan table (4 queries)."""
    actions = with_follow_up(Action.objects.all(), today).order_by(
        "order", "indicator__number", "pk"
    )
    return (
        Plan.objects.select_related(
            "organisation", "assessment__framework", "approved_by", "created_by"
        )
        .prefetch_related(
            Prefetch("actions", queryset=actions),
            Prefetch("revisions", queryset=PlanRevision.objects.select_related("approved_by")),
        )
        .get(pk=pk)
    )


def _full_name(first: str | None, last: str | None, username: str | None) -> str:
    """As `User.get_full_name`, else the user name; "" for no user (a LEFT JOIN's Nones)."""
    return f"{first or ''} {last or ''}".strip() or username or ""


@dataclass(frozen=True)
class RevisionLine:
    """One approved revision as the plan page lists it."""

    pk: int
    number: int
    reason: str
    approved_at: datetime
    council_date: date | None
    approver: str


@dataclass(frozen=True)
class PlanHeader:
    """What the plan page reads on every request around its cached parts (the cache key's
    versions and the revisions it lists)."""

    pk: int
    organisation_id: int
    fiscal_year: int
    content_version: str
    approver_name: str
    approver_username: str
    revisions: tuple[RevisionLine, ...]


def _plan_header_rows(pk: int) -> QuerySet[Plan, tuple[Any, ...]]:
    return (
        Plan.objects.filter(pk=pk)
        .order_by("revisions__number", "revisions__pk")
        .values_list(
            "organisation_id",
            "fiscal_year",
            "content_version",
            "approved_by__first_name",
            "approved_by__last_name",
            "approved_by__username",
            "revisions__pk",
            "revisions__number",
            "revisions__reason",
            "revisions__approved_at",
            "revisions__council_date",
            "revisions__approved_by__first_name",
            "revisions__approved_by__last_name",
            "revisions__approved_by__username",
        )
    )


_PLAN_HEADER_ROWS = PreparedValues(_plan_header_rows)


def plan_page_header(pk: int) -> PlanHeader:
    """The plan's versions, approver and approved revisions (without their snapshots) in one
    query of plain values, its SQL compiled once; Plan.DoesNotExist when there is none."""
    rows = _PLAN_HEADER_ROWS(pk=pk)
    if not rows:
        raise Plan.DoesNotExist(f"No plan {pk}.")
    organisation_id, fiscal_year, version, first, last, username = rows[0][:6]
    revisions = tuple(
        RevisionLine(
            pk=row[6],
            number=row[7],
            reason=row[8],
            approved_at=row[9],
            council_date=row[10],
            approver=_full_name(*row[11:14]),
        )
        for row in rows
        if row[6] is not None
    )
    return PlanHeader(
        pk=pk,
        organisation_id=organisation_id,
        fiscal_year=fiscal_year,
        content_version=version,
        approver_name=f"{first or ''} {last or ''}".strip(),
        approver_username=username or "",
        revisions=revisions,
    )


def plan_header(pk: int) -> Plan:
    return Plan.objects.select_related("organisation", "assessment__framework").get(pk=pk)


def action_with_reports(pk: int, today: date) -> Action:
    reports = ProgressReport.objects.select_related("division", "created_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    )
    return (
        with_follow_up(Action.objects.all(), today)
        .select_related("plan__organisation", "plan__assessment__framework")
        .prefetch_related(Prefetch("reports", queryset=reports))
        .get(pk=pk)
    )


def action_for_edit(pk: int) -> Action:
    return Action.objects.select_related(
        "plan__organisation", "plan__assessment__framework", "indicator"
    ).get(pk=pk)


def division_work(organisation: Organisation, division_id: int, today: date) -> QuerySet[Action]:
    """Actions of approved plans that a division answers for, overdue first, then by due month."""
    return (
        with_follow_up(
            Action.objects.filter(plan__organisation=organisation)
            .exclude(plan__status=rules.DRAFT)
            .filter(Q(divisions=division_id) | Q(all_divisions=True))
            .distinct(),
            today,
        )
        .exclude(status=rules.CANCELLED)
        .order_by("-overdue", "status", "end_month", "plan__fiscal_year", "indicator__number")
    )


@dataclass(frozen=True)
class SnapshotIndicator:
    number: int
    name_th: str


@dataclass(frozen=True)
class SnapshotAction:
    """An action as it was approved (from `PlanRevision.snapshot`), shaped like an Action."""

    indicator: SnapshotIndicator
    code: str
    finding: str
    measure: str
    steps: str
    start_month: date
    end_month: date
    all_divisions: bool
    division_names: list[str]


def snapshot_actions(snapshot: dict[str, Any]) -> list[SnapshotAction]:
    return [
        SnapshotAction(
            indicator=SnapshotIndicator(number=a["indicator"], name_th=a["indicator_name"]),
            code=a.get("question") or a.get("item") or "",
            finding=a["finding"],
            measure=a["measure"],
            steps=a["steps"],
            start_month=date.fromisoformat(a["start_month"]),
            end_month=date.fromisoformat(a["end_month"]),
            all_divisions=a["all_divisions"],
            division_names=list(a["divisions"]),
        )
        for a in snapshot.get("actions", [])
    ]


def revision_with_plan(pk: int) -> PlanRevision:
    return PlanRevision.objects.select_related(
        "plan__organisation", "plan__assessment__framework", "approved_by"
    ).get(pk=pk)


def evidence_with_organisation(pk: int) -> Evidence:
    return Evidence.objects.select_related("report__action__plan").get(pk=pk)


def draft_inputs(
    assessment: Assessment,
) -> tuple[list[drafting.IndicatorScore], list[drafting.ItemOutcome], list[drafting.TemplateText]]:
    """Plain values for `drafting.draft_actions` (4 queries).

    The previous year is the latest earlier assessment of the same framework family, so a
    change of method (2569) is not read as a fall.
    """
    framework = assessment.framework
    results = list(
        IndicatorResult.objects.filter(assessment=assessment)
        .select_related("indicator")
        .order_by("indicator__number")
    )
    previous = {
        r.indicator.number: r.score
        for r in IndicatorResult.objects.filter(
            assessment__organisation_id=assessment.organisation_id,
            assessment__framework__family=framework.family,
            assessment__framework__fiscal_year__lt=framework.fiscal_year,
        )
        .select_related("indicator", "assessment__framework")
        .order_by("assessment__framework__fiscal_year")
    }  # the latest year wins: later rows overwrite earlier ones
    items = list(
        ItemResult.objects.filter(assessment=assessment)
        .select_related("item__indicator")
        .order_by("item__order", "item__code")
    )
    templates = list(
        MeasureTemplate.objects.filter(family=framework.family, is_active=True).order_by(
            "indicator_number", "item_code"
        )
    )
    return (
        [
            drafting.IndicatorScore(
                number=r.indicator.number,
                name=r.indicator.name_th,
                score=r.score,
                previous=previous.get(r.indicator.number),
            )
            for r in results
        ],
        [
            drafting.ItemOutcome(
                code=r.item.code,
                title=r.item.title,
                indicator_number=r.item.indicator.number,
                score=r.score,
                status=r.status,
                reason=r.reason,
            )
            for r in items
        ],
        [
            drafting.TemplateText(
                indicator_number=t.indicator_number,
                item_code=t.item_code,
                issue=t.issue,
                measure=t.measure,
                steps=t.steps,
            )
            for t in templates
        ],
    )


def plan_proposals(
    plan: Plan, draft_rules: drafting.DraftRules | None = None
) -> list[drafting.DraftAction]:
    """Draft actions for the plan's assessment, minus those the plan already has."""
    indicators, items, templates = draft_inputs(plan.assessment)
    if draft_rules is None:  # the framework's own "improve below" line (see ita.judgement)
        draft_rules = drafting.DraftRules(threshold=plan.assessment.framework.improve_below)
    taken = {
        (number, code or "")
        for number, code in plan.actions.values_list("indicator__number", "item__code")
    }
    return [
        p
        for p in drafting.draft_actions(indicators, items, templates, draft_rules)
        if (p.indicator_number, p.item_code) not in taken
    ]


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str  # "plan", "action", "report" or "evidence"
    label: str
    kind: str  # "+", "~" or "-" as simple-history records it
    changes: list[tuple[str, str, str]]  # (field label, old, new), ready to print


def _shown(model: type[Model], name: str, value: Any) -> str:
    """A recorded value as people read it: choice labels, B.E. dates, yes/no."""
    if value is None or value == "":
        return "—"
    if name == DIVISIONS:
        return str(value)
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return format_date(timezone.localtime(value))
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _field_label(model: type[Model], name: str) -> str:
    if name == DIVISIONS:
        return str(Action._meta.get_field("divisions").verbose_name)
    return str(model._meta.get_field(name).verbose_name)


def _entries(
    records: list[Any],
    model: type[Model],
    what: str,
    label_of: Callable[[Any], str],
    values_of: Callable[[Any], dict[str, Any]],
) -> list[HistoryEntry]:
    """Turn simple-history records (oldest first) into entries with old → new per field."""
    entries: list[HistoryEntry] = []
    last: dict[int, dict[str, Any]] = {}
    for record in records:
        values = values_of(record)
        before = last.get(record.id)
        last[record.id] = values
        changes = [
            (_field_label(model, name), _shown(model, name, before[name]), _shown(model, name, new))
            for name, new in values.items()
            if before is not None and before[name] != new
        ]
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing shown here
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "",
                what=what,
                label=label_of(record),
                kind=record.history_type,
                changes=changes,
            )
        )
    return entries


DIVISIONS = "divisions"
PLAN_FIELDS = ["status", "revision", "revision_reason", "approved_at", "council_date"]
ACTION_FIELDS = [
    "finding",
    "measure",
    "steps",
    "start_month",
    "end_month",
    "all_divisions",
    "status",
]
REPORT_FIELDS = ["reported_on", "text", "percent"]


def _fields(names: list[str]) -> Callable[[Any], dict[str, Any]]:
    return lambda record: {name: getattr(record, name) for name in names}


def plan_history(plan: Plan) -> list[HistoryEntry]:
    """Every recorded change of the plan, its actions, their reports and evidence, newest first.

    Six queries whatever the number of actions: each history table is read once for the
    plan and consecutive records are compared in Python.
    """
    history_action = Action.history.model
    plan_records = list(
        Plan.history.filter(id=plan.pk).select_related("history_user").order_by("history_date")
    )
    action_records = list(
        Action.history.filter(plan_id=plan.pk)
        .select_related("history_user", "indicator")
        .order_by("history_date", "history_id")
    )
    division_rows = history_action.divisions.model.objects.filter(  # type: ignore[attr-defined]
        history__plan_id=plan.pk
    ).values_list("history_id", "division__name")
    divisions_of: dict[int, list[str]] = {}
    for history_id, name in division_rows.order_by("division__order", "division__name"):
        divisions_of.setdefault(history_id, []).append(name)
    numbers = {r.id: r.indicator.number for r in action_records}
    report_records = list(
        ProgressReport.history.filter(action__plan=plan)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    evidence_records = list(
        Evidence.history.filter(report__action__plan=plan)
        .select_related("history_user", "report")
        .order_by("history_date", "history_id")
    )

    def action_values(record: Any) -> dict[str, Any]:
        values = _fields(ACTION_FIELDS)(record)
        values[DIVISIONS] = ", ".join(divisions_of.get(record.history_id, []))
        return values

    entries = _entries(
        plan_records, Plan, "plan", lambda r: str(r.fiscal_year), _fields(PLAN_FIELDS)
    )
    entries += _entries(
        action_records,
        Action,
        "action",
        lambda r: f"{numbers[r.id]}. {r.measure[:80]}",
        action_values,
    )
    entries += _entries(
        report_records,
        ProgressReport,
        "report",
        lambda r: f"{numbers.get(r.action_id, '')}. {r.percent}%",
        _fields(REPORT_FIELDS),
    )
    entries += _entries(
        evidence_records,
        Evidence,
        "evidence",
        lambda r: r.original_name or r.link,
        lambda r: {},
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)
