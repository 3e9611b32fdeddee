"""The content of the analysis report and of the plan document, as plain values.

Everything a document prints is gathered here with a fixed number of queries (pinned by
tests/documents/test_content.py), so the PDF, DOCX, XLSX and print views of one report
can never disagree. Builders in ``documents.exports`` only lay it out.

The plan's rows come through one adapter (`plan_document`) that reads ``plans.models``; the
documents depend on the small `PlanRow` / `PlanDocument` shapes, not on the plans models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from ita import charts
from ita.analysis import ToolFigure, YearFigures
from ita.judgement import chosen_verdict
from ita.models import AgencyType, Assessment, Division, Organisation
from ita.models.results import VERDICT_CHOICES
from ita.narratives import (
    ANALYSIS_MAX_LENGTH,
    REMARK_MAX_LENGTH,
    IndicatorFacts,
    ItemLine,
    QuestionLine,
    Remedy,
    Verdict,
    draft_analysis,
    truncated,
    verdict_for,
    verdict_text,
)
from ita.prepared import PreparedValues
from ita.queries import cached_year_figures, organisation_assessment_rows
from ita.scoring import round_score
from ita.thai import digits, local_name
from plans.models import Action, ActionStatus, MeasureTemplate, Plan


def responsible_text(divisions: tuple[str, ...], *, all_divisions: bool) -> str:
    """Who carries out an action, as the plan and the follow-up report print it."""
    if all_divisions:
        return gettext("All divisions")
    return ", ".join(divisions)


@dataclass(frozen=True)
class DocumentOptions:
    """How numbers print: Thai digits (as official documents do) or Arabic."""

    thai_digits: bool = True

    @property
    def digits(self) -> str:
        """The argument the ``thai`` template filters take ("thai" or "")."""
        return "thai" if self.thai_digits else ""

    @classmethod
    def from_query(cls, value: str | None) -> DocumentOptions:
        return cls(thai_digits=value != "arabic")


# --- The plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    indicator_number: int
    indicator_name: str
    code: str  # the question or OIT item the action targets, "" for the whole indicator
    finding: str
    measure: str
    steps: str
    start_month: date | None
    end_month: date | None
    divisions: tuple[str, ...]
    all_divisions: bool
    status: str

    @property
    def responsible(self) -> str:
        return responsible_text(self.divisions, all_divisions=self.all_divisions)


@dataclass(frozen=True)
class PlanDocument:
    organisation: str
    district: str
    province: str
    fiscal_year: int
    analysed_year: int
    status: str
    status_label: str
    revision: int
    approved_by: str
    approved_at: datetime | None
    council_date: date | None
    council_note: str
    rows: tuple[PlanRow, ...]


def _plan_rows(plan: Plan) -> tuple[PlanRow, ...]:
    """Two queries: the actions, then their divisions."""
    actions = (
        Action.objects.filter(plan=plan)
        # A cancelled measure is no longer promised to the council or the public.
        .exclude(status=ActionStatus.CANCELLED)
        .select_related("indicator", "question", "item")
        .prefetch_related(
            Prefetch("divisions", queryset=Division.objects.order_by("order", "name"))
        )
        .order_by("order", "indicator__number", "pk")
    )
    return tuple(
        PlanRow(
            indicator_number=a.indicator.number,
            indicator_name=local_name(a.indicator.name_th, a.indicator.name_en),
            code=a.question.code if a.question else a.item.code if a.item else "",
            finding=a.finding,
            measure=a.measure,
            steps=a.steps,
            start_month=a.start_month,
            end_month=a.end_month,
            divisions=tuple(d.name for d in a.divisions.all()),
            all_divisions=a.all_divisions,
            status=a.status,
        )
        for a in actions
    )


def _as_plan_document(plan: Plan) -> PlanDocument:
    organisation = plan.organisation
    approver = plan.approved_by
    return PlanDocument(
        organisation=organisation.name,
        district=organisation.district,
        province=organisation.province,
        fiscal_year=plan.fiscal_year,
        analysed_year=plan.assessment.framework.fiscal_year,
        status=plan.status,
        status_label=str(plan.get_status_display()),
        revision=plan.revision,
        approved_by=(approver.get_full_name() or approver.get_username()) if approver else "",
        approved_at=plan.approved_at,
        council_date=plan.council_date,
        council_note=plan.council_note,
        rows=_plan_rows(plan),
    )


def plan_document(organisation: Organisation, fiscal_year: int) -> PlanDocument | None:
    """The organisation's plan for `fiscal_year` (3 queries), None when there is none."""
    plan = (
        Plan.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related("organisation", "assessment__framework", "approved_by")
        .first()
    )
    return _as_plan_document(plan) if plan else None


def plan_for_assessment(organisation: Organisation, analysed_year: int) -> PlanDocument | None:
    """The plan drawn from the `analysed_year` results (3 queries), None when there is none."""
    plan = (
        Plan.objects.filter(
            organisation=organisation, assessment__framework__fiscal_year=analysed_year
        )
        .select_related("organisation", "assessment__framework", "approved_by")
        .order_by("fiscal_year", "pk")
        .first()
    )
    return _as_plan_document(plan) if plan else None


# --- The analysis report ----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionRow:
    code: str
    scores: tuple[Decimal | None, ...]  # one per channel column (one column for IIT)
    value: Decimal  # the question's score: the mean of its channels


@dataclass(frozen=True)
class IndicatorSection:
    number: int
    name: str
    tool: str
    score: Decimal | None
    channels: tuple[str, ...]  # channel column names; () for a single score column
    questions: tuple[QuestionRow, ...]
    verdict: Verdict | None  # what prints: the organisation's choice, else the drafted one
    analysis: str
    drafted: bool  # the analysis is a draft, not saved text
    remark: str = ""  # the saved remark column; empty prints the rule's sentence
    drafted_verdict: Verdict | None = None  # the rule's verdict (ita.judgement)

    @property
    def drafted_verdict_label(self) -> str:
        labels = dict(VERDICT_CHOICES)
        return str(labels[self.drafted_verdict.value]) if self.drafted_verdict else ""

    @property
    def verdict_edited(self) -> bool:
        return self.verdict != self.drafted_verdict

    @property
    def drafted_remark(self) -> str:
        """The rule's sentence for the verdict that prints (the edited one, if any)."""
        return verdict_text(self.verdict)

    @property
    def remark_edited(self) -> bool:
        return bool(self.remark)

    @property
    def verdict_text(self) -> str:
        """What the remark column prints: the organisation's saved text, else the draft."""
        return self.remark or self.drafted_remark


@dataclass(frozen=True)
class HistoryPoint:
    fiscal_year: int
    overall: Decimal | None
    level: str


@dataclass(frozen=True)
class ReportCharts:
    overall: str
    history: str
    tools: str


@dataclass(frozen=True)
class ReportData:
    organisation: str
    district: str
    province: str
    agency_type: str
    fiscal_year: int
    overall: Decimal | None
    level: str
    tools: tuple[ToolFigure, ...]
    history: tuple[HistoryPoint, ...]
    indicators: tuple[IndicatorSection, ...]
    plan: PlanDocument | None
    charts: ReportCharts

    @property
    def plan_year(self) -> int:
        return self.plan.fiscal_year if self.plan else self.fiscal_year + 1

    @property
    def drafted_count(self) -> int:
        return sum(1 for s in self.indicators if s.drafted)


def short_channel_name(name: str) -> str:
    """ "ช่องทางออนไลน์ (EitPublic)" -> "EitPublic": the column heading the NACC's tables use."""
    if name.endswith(")") and "(" in name:
        return name[name.rindex("(") + 1 : -1].strip() or name
    return name


def remedies_by_indicator(family: str) -> dict[int, list[Remedy]]:
    """The active standard measures of a framework family (1 query)."""
    remedies: dict[int, list[Remedy]] = {}
    for template in MeasureTemplate.objects.filter(family=family, is_active=True).order_by(
        "indicator_number", "item_code"
    ):
        remedies.setdefault(template.indicator_number, []).append(
            Remedy(
                item_code=template.item_code,
                issue=template.issue,
                measure=template.measure,
                steps=template.steps,
            )
        )
    return remedies


def _active_measures(family: str) -> QuerySet[MeasureTemplate, tuple[Any, ...]]:
    return (
        MeasureTemplate.objects.filter(family=family, is_active=True)
        .order_by("pk")
        .values_list("pk", "indicator_number", "item_code", "issue", "measure", "steps")
    )


_ACTIVE_MEASURES = PreparedValues(_active_measures)


def remedies_token(family: str) -> str:
    """A digest of a family's active standard measures (1 query, its SQL compiled once):
    the drafted analyses are written from them, so a cached report body carries it."""
    digest = hashlib.sha256()
    for row in _ACTIVE_MEASURES(family=family):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:24]


def indicator_facts(
    year: YearFigures, organisation: str, remedies: dict[int, list[Remedy]]
) -> list[IndicatorFacts]:
    """What the narrative of each indicator is drafted from (pure)."""
    return [
        IndicatorFacts(
            organisation=organisation,
            number=figure.number,
            name=figure.name,
            score=figure.value,
            questions=[
                QuestionLine(code=q.code, score=q.value, theme=q.theme)
                for q in year.questions_of(figure.number)
            ],
            items=[
                ItemLine(
                    code=i.code, title=i.title, score=i.score, status=i.status, reason=i.reason
                )
                for i in year.items_of(figure.number)
            ],
            remedies=remedies.get(figure.number, ()),
        )
        for figure in year.indicators
    ]


def _sections(
    year: YearFigures, facts: Sequence[IndicatorFacts], *, thai: bool
) -> tuple[IndicatorSection, ...]:
    sections = []
    for figure, fact in zip(year.indicators, facts, strict=True):
        questions = year.questions_of(figure.number)
        channels = year.channels_used_by(questions)
        saved = figure.analysis.strip()
        drafted_verdict = verdict_for(figure.value, year.lines)
        sections.append(
            IndicatorSection(
                number=figure.number,
                name=local_name(figure.name, figure.name_en),
                tool=figure.tool,
                score=figure.value,
                channels=tuple(short_channel_name(c.name) for c in channels),
                questions=tuple(
                    QuestionRow(
                        code=q.code,
                        scores=(
                            tuple(q.score_for(c.code) for c in channels) if channels else (q.value,)
                        ),
                        value=q.value,
                    )
                    for q in questions
                ),
                verdict=chosen_verdict(drafted_verdict, figure.verdict),
                drafted_verdict=drafted_verdict,
                analysis=truncated(
                    saved or draft_analysis(fact, thai=thai, lines=year.lines),
                    ANALYSIS_MAX_LENGTH,
                ),
                drafted=not saved,
                remark=truncated(figure.remark.strip(), REMARK_MAX_LENGTH),
            )
        )
    return tuple(sections)


def _charts(years: Sequence[YearFigures], year: YearFigures, *, thai: bool) -> ReportCharts:
    year_label = digits(year.fiscal_year, thai=thai)
    pass_line = gettext("Pass line")
    overall = charts.horizontal_bar_chart(
        [gettext("Overall %(year)s") % {"year": year_label}],
        [year.overall.value],
        title=gettext("Overall result"),
        desc=gettext("The overall score of %(year)s against the pass line.") % {"year": year_label},
        threshold=year.lines.pass_line,
        threshold_label=pass_line,
        thai=thai,
        width=640,
        label_width=160,
    )
    shown = [y for y in years if y.fiscal_year <= year.fiscal_year]
    history = charts.line_chart(
        [digits(y.fiscal_year, thai=thai) for y in shown],
        [charts.Series(gettext("Overall score"), [y.overall.value for y in shown])],
        title=gettext("Overall result over the years"),
        desc=gettext("The overall score of every assessed year up to %(year)s.")
        % {"year": year_label},
        threshold=year.lines.pass_line,
        threshold_label=pass_line,
        thai=thai,
        width=640,
    )
    tools = charts.bar_chart(
        [t.code for t in year.tools],
        [charts.Series(year_label, [t.value for t in year.tools])],
        title=gettext("Result per tool"),
        desc=gettext("The scores of the three tools in %(year)s.") % {"year": year_label},
        threshold=year.lines.pass_line,
        threshold_label=pass_line,
        thai=thai,
        width=640,
    )
    return ReportCharts(overall=overall, history=history, tools=tools)


def _agency_type(assessment: Assessment) -> str:
    return str(AgencyType(assessment.agency_type).label) if assessment.agency_type else ""


def report_data(
    organisation: Organisation, fiscal_year: int, options: DocumentOptions | None = None
) -> ReportData | None:
    """The full analysis report of one organisation and year; None when the year is missing.

    5 queries whatever the number of years, questions or actions, when the year figures
    are cached (`ita.queries.cached_year_figures`): the organisation's assessments (1), the
    standard measures (1) and the plan (3); 7 more when they are not.
    """
    options = options or DocumentOptions()
    assessments = organisation_assessment_rows(organisation)
    assessment = next((a for a in assessments if a.framework.fiscal_year == fiscal_year), None)
    if assessment is None:
        return None
    years = cached_year_figures(assessments)
    year = next(y for y in years if y.fiscal_year == fiscal_year)
    facts = indicator_facts(year, organisation.name, remedies_by_indicator(year.family))
    return ReportData(
        organisation=organisation.name,
        district=organisation.district,
        province=organisation.province,
        agency_type=_agency_type(assessment),
        fiscal_year=fiscal_year,
        overall=year.overall.value,
        level=year.level,
        tools=year.tools,
        history=tuple(
            HistoryPoint(y.fiscal_year, y.overall.value, y.level)
            for y in years
            if y.fiscal_year <= fiscal_year
        ),
        indicators=_sections(year, facts, thai=options.thai_digits),
        plan=plan_for_assessment(organisation, fiscal_year),
        charts=_charts(years, year, thai=options.thai_digits),
    )


def rounded(value: Decimal | None) -> Decimal | None:
    """Scores as printed (2 decimals) for spreadsheets, which store numbers, not text."""
    return None if value is None else round_score(value)
