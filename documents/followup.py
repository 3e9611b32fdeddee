"""The follow-up report: how the plan's measures went, as of a date (OIT "report on the
previous year's measures").

Everything is read in a fixed number of queries (pinned by tests/documents/test_followup.py)
into plain values the print view and the PDF, DOCX and XLSX builders lay out. Progress notes
dated after the as-of date are left out, so a mid-year edition printed later still reads as
it stood at the end of March.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from documents.content import responsible_text
from ita.models import Division, IndicatorResult
from ita.thai import local_name
from plans.models import Action, ActionStatus, Evidence, Plan, ProgressReport

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


def score_before_after(
    number: int,
    before: Mapping[int, Decimal | None],
    after: Mapping[int, Decimal | None],
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """An indicator's published score in the analysed year and in the next, and the change.

    Deliberately simple (by indicator number, published scores only); the plans app's
    official verdict rule can replace this one function.
    """
    old, new = before.get(number), after.get(number)
    change = new - old if old is not None and new is not None else None
    return old, new, change


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


def _published_scores(plan: Plan) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
    """Indicator scores of the analysed year and the year after (1 query)."""
    year = plan.assessment.framework.fiscal_year
    before: dict[int, Decimal | None] = {}
    after: dict[int, Decimal | None] = {}
    results = IndicatorResult.objects.filter(
        assessment__organisation_id=plan.organisation_id,
        assessment__framework__fiscal_year__in=(year, year + 1),
    ).values_list("assessment__framework__fiscal_year", "indicator__number", "score")
    for fiscal_year, number, score in results:
        (before if fiscal_year == year else after)[number] = score
    return before, after


def followup_report(plan: Plan, edition: Edition, *, today: date) -> FollowupReport:
    """The report of a plan loaded with organisation and assessment__framework: 5 queries
    (actions, divisions, progress notes, evidence, published scores) whatever the size."""
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
    before, after = _published_scores(plan)
    rows = []
    for a in actions:
        old, new, change = score_before_after(a.indicator.number, before, after)
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
                status=a.status,
                status_label=str(ActionStatus(a.status).label),
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
                    for r in a.reports.all()
                ),
                score_before=old,
                score_after=new,
                score_change=change,
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
        has_next_results=bool(after),
        rows=tuple(rows),
    )
