"""The follow-up report: how the plan's measures went, as of a date (OIT "report on the
previous year's measures").

Everything is read in a fixed number of queries (pinned by tests/documents/test_followup.py)
into plain values the print view and the PDF, DOCX and XLSX builders lay out. Progress notes
dated after the as-of date are left out, so a mid-year edition printed later still reads as
it stood at the end of March.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from documents.content import responsible_text
from ita.models import Division
from ita.thai import local_name
from plans.enums import OutcomeVerdict
from plans.models import Action, ActionStatus, Evidence, Plan, ProgressReport
from plans.outcome_queries import plan_outcomes

BE_OFFSET = 543


class Edition(StrEnum):
    MID_YEAR = "mid"
    YEAR_END = "end"
    TODAY = "today"


EDITION_LABELS = {
    Edition.MID_YEAR: gettext_lazy("Six-month report (as of the end of March)"),
    Edition.YEAR_END: gettext_lazy("Year-end report (as of the end of September)"),
    Edition.TODAY: gettext_lazy("Report as of today"),
}


def edition_date(edition: Edition, fiscal_year: int, today: date) -> date:
    """The as-of date of an edition: a Thai fiscal year ends on 30 September of its BE year."""
    ce_year = fiscal_year - BE_OFFSET
    if edition is Edition.MID_YEAR:
        return date(ce_year, 3, 31)
    if edition is Edition.YEAR_END:
        return date(ce_year, 9, 30)
    return today


def edition_from_query(value: str | None) -> Edition:
    try:
        return Edition(value or Edition.TODAY)
    except ValueError:
        return Edition.TODAY


def status_as_of(recorded: str | None, latest_percent: int | None) -> str:
    """An action's status on an edition's date, from what was known by then.

    `recorded` is the status its history held at the end of that day (None when the action
    was not there yet); `latest_percent` is the newest progress note dated up to then. A
    note is often recorded days after the date it reports, so a note at 100 % counts as
    done and any note as started even where the status was changed later.
    """
    if recorded in ActionStatus.CLOSED:
        return recorded or ""
    if latest_percent is not None:
        return ActionStatus.DONE if latest_percent >= 100 else ActionStatus.IN_PROGRESS
    return recorded or ActionStatus.NOT_STARTED


@dataclass(frozen=True)
class EvidenceRef:
    name: str
    link: str  # "" for an uploaded file: its content stays private


@dataclass(frozen=True)
class ProgressNote:
    reported_on: date
    text: str
    percent: int
    division: str
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True)
class FollowupRow:
    indicator_number: int
    indicator_name: str
    code: str
    finding: str
    measure: str
    start_month: date | None
    end_month: date | None
    divisions: tuple[str, ...]
    all_divisions: bool
    status: str
    status_label: str
    notes: tuple[ProgressNote, ...]  # newest first, none after the as-of date
    score_before: Decimal | None
    score_after: Decimal | None
    score_change: Decimal | None
    verdict: OutcomeVerdict  # `plans.outcomes`' rule, the one the plan pages show

    @property
    def verdict_label(self) -> str:
        return str(self.verdict.label)

    @property
    def done_but_fell(self) -> bool:
        """Done by the edition's date, yet its target fell: the supervisor reads these first."""
        return self.status == ActionStatus.DONE and self.verdict == OutcomeVerdict.FELL

    @property
    def percent(self) -> int:
        return self.notes[0].percent if self.notes else 0

    @property
    def responsible(self) -> str:
        return responsible_text(self.divisions, all_divisions=self.all_divisions)


@dataclass(frozen=True)
class FollowupReport:
    organisation: str
    district: str
    province: str
    fiscal_year: int
    analysed_year: int
    edition: Edition
    as_of: date
    has_next_results: bool
    rows: tuple[FollowupRow, ...]

    @property
    def edition_label(self) -> str:
        return str(EDITION_LABELS[self.edition])

    @property
    def done_count(self) -> int:
        return sum(1 for r in self.rows if r.status == ActionStatus.DONE)

    # The signature block is shared with the plan document, which prints its approver.
    approved_by = ""
    approved_at = None


def _recorded_statuses(plan: Plan, as_of: date) -> dict[int, str]:
    """Each action's status in its history at the end of `as_of`, Bangkok time (1 query)."""
    day_after = datetime.combine(as_of + timedelta(days=1), time.min)
    end = timezone.make_aware(day_after, timezone.get_default_timezone())
    statuses: dict[int, str] = {}
    records = (
        Action.history.filter(plan_id=plan.pk, history_date__lt=end)
        .order_by("history_date", "history_id")
        .values_list("id", "status")
    )
    for action_id, status in records:
        statuses[action_id] = status  # the latest record wins
    return statuses


def followup_report(plan: Plan, edition: Edition, *, today: date) -> FollowupReport:
    """The report of a plan loaded with organisation and assessment__framework.

    A fixed number of queries whatever the size: actions, divisions, progress notes,
    evidence, the outcomes (`plans.outcome_queries.plan_outcomes`: the next year's
    assessment, indicator scores, and question or item scores when a measure targets one),
    and for a past edition the actions' recorded statuses."""
    as_of = edition_date(edition, plan.fiscal_year, today)
    reports = ProgressReport.objects.filter(reported_on__lte=as_of).select_related("division")
    actions = (
        Action.objects.filter(plan=plan)
        .exclude(status=ActionStatus.CANCELLED)
        .select_related("indicator", "question", "item")
        .prefetch_related(
            Prefetch("divisions", queryset=Division.objects.order_by("order", "name")),
            Prefetch("reports", queryset=reports.order_by("-reported_on", "-pk")),
            Prefetch("reports__evidence", queryset=Evidence.objects.order_by("pk")),
        )
        .order_by("order", "indicator__number", "pk")
    )
    actions = list(actions)
    outcomes = {o.action_id: o for o in plan_outcomes(plan, actions)}
    # Past editions read the status as it stood then; today's is the action's own.
    recorded = _recorded_statuses(plan, as_of) if as_of < today else None
    rows = []
    for a in actions:
        notes = a.reports.all()
        status = (
            a.status
            if recorded is None
            else status_as_of(recorded.get(a.pk), notes[0].percent if notes else None)
        )
        outcome = outcomes[a.pk]
        rows.append(
            FollowupRow(
                indicator_number=a.indicator.number,
                indicator_name=local_name(a.indicator.name_th, a.indicator.name_en),
                code=a.question.code if a.question else a.item.code if a.item else "",
                finding=a.finding,
                measure=a.measure,
                start_month=a.start_month,
                end_month=a.end_month,
                divisions=tuple(d.name for d in a.divisions.all()),
                all_divisions=a.all_divisions,
                status=status,
                status_label=str(ActionStatus(status).label),
                notes=tuple(
                    ProgressNote(
                        reported_on=r.reported_on,
                        text=r.text,
                        percent=r.percent,
                        division=r.division.name if r.division else "",
                        evidence=tuple(
                            EvidenceRef(name=str(e), link=e.link) for e in r.evidence.all()
                        ),
                    )
                    for r in notes
                ),
                score_before=outcome.base,
                score_after=outcome.later,
                score_change=outcome.change,
                verdict=outcome.verdict,
            )
        )
    organisation = plan.organisation
    return FollowupReport(
        organisation=organisation.name,
        district=organisation.district,
        province=organisation.province,
        fiscal_year=plan.fiscal_year,
        analysed_year=plan.assessment.framework.fiscal_year,
        edition=edition,
        as_of=as_of,
        has_next_results=any(o.verdict != OutcomeVerdict.NO_RESULT_YET for o in outcomes.values()),
        rows=tuple(rows),
    )
