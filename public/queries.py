"""What the public page shows: published years only, approved plans only, no staff names.

Everything is read into plain values here, so the template cannot follow a relation to a
draft, an evidence file or a user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from documents.models import StoredDocument
from ita.models import Assessment, IndicatorResult, ToolResult
from plans.enums import PlanStatus
from plans.models import Action, Plan, ProgressReport
from public.models import PublicPage

SHOWN_PLAN_STATUSES = (PlanStatus.APPROVED, PlanStatus.PRESENTED)


@dataclass
class PublicMeasure:
    indicator_number: int
    measure: str
    divisions: list[str]
    start_month: date
    end_month: date
    status: str
    percent: int


@dataclass
class PublicYear:
    fiscal_year: int
    overall: Decimal | None
    level: str
    tools: list[tuple[str, Decimal]] = field(default_factory=list)
    indicators: list[tuple[int, str, Decimal | None]] = field(default_factory=list)
    plan_year: int | None = None
    measures: list[PublicMeasure] = field(default_factory=list)


def public_page_or_404(slug: str) -> PublicPage:
    page = (
        PublicPage.objects.select_related("organisation").filter(slug=slug, is_enabled=True).first()
    )
    if page is None:
        raise Http404
    return page


def published_years(page: PublicPage) -> list[int]:
    return list(page.years.values_list("fiscal_year", flat=True))


def data_version(page: PublicPage, years: list[int]) -> str:
    """The newest change among the rows shown: the cache key moves with the data, not time."""
    stamps: list[datetime | None] = [page.updated_at]
    stamps.append(page.years.aggregate(m=Max("updated_at"))["m"])
    assessments = Assessment.objects.filter(
        organisation_id=page.organisation_id, framework__fiscal_year__in=years
    )
    for model in (Assessment, ToolResult, IndicatorResult):
        hist = model.history.model.objects
        key = "id__in" if model is Assessment else "assessment_id__in"
        stamps.append(
            hist.filter(**{key: assessments.values("pk")}).aggregate(m=Max("history_date"))["m"]
        )
    actions = Action.objects.filter(plan__assessment__in=assessments)
    stamps.append(actions.aggregate(m=Max("updated_at"))["m"])
    stamps.append(
        Plan.objects.filter(assessment__in=assessments).aggregate(m=Max("approved_at"))["m"]
    )
    stamps.append(
        ProgressReport.objects.filter(action__in=actions).aggregate(m=Max("created_at"))["m"]
    )
    stamps.append(_signed(page, years).aggregate(m=Max("created_at"))["m"])
    return "-".join(str(s.timestamp()) if s else "0" for s in stamps)


def public_years(page: PublicPage, years: list[int]) -> list[PublicYear]:
    """The published years, newest first, each with its results and its approved plan."""
    assessments = list(
        Assessment.objects.filter(
            organisation_id=page.organisation_id, framework__fiscal_year__in=years
        )
        .select_related("framework")
        .prefetch_related("tool_results__tool", "indicator_results__indicator")
        .order_by("-framework__fiscal_year")
    )
    latest = ProgressReport.objects.filter(action=OuterRef("pk")).order_by("-reported_on", "-pk")
    actions = (
        Action.objects.filter(
            plan__assessment__in=[a.pk for a in assessments],
            plan__status__in=SHOWN_PLAN_STATUSES,
        )
        .select_related("plan", "indicator")
        .prefetch_related("divisions")
        .annotate(percent=Subquery(latest.values("percent")[:1]))
    )
    by_assessment: dict[int, list[Action]] = {}
    for action in actions:
        by_assessment.setdefault(action.plan.assessment_id, []).append(action)
    shown = []
    for a in assessments:
        year = PublicYear(
            fiscal_year=a.framework.fiscal_year,
            overall=a.published_overall,
            level=a.published_level,
            tools=[(t.tool.name_th, t.score) for t in a.tool_results.all()],
            indicators=[
                (i.indicator.number, i.indicator.name_th, i.score)
                for i in a.indicator_results.all()
            ],
        )
        for action in by_assessment.get(a.pk, []):
            year.plan_year = action.plan.fiscal_year
            year.measures.append(
                PublicMeasure(
                    indicator_number=action.indicator.number,
                    measure=action.measure,
                    divisions=[d.name for d in action.divisions.all()],
                    start_month=action.start_month,
                    end_month=action.end_month,
                    status=action.get_status_display(),
                    percent=action.percent or 0,
                )
            )
        shown.append(year)
    return shown


@dataclass(frozen=True)
class PublicDocument:
    """A signed copy as the public page lists it: no signer's name, only what and when."""

    fiscal_year: int
    title: str
    signed_at: datetime
    sha256: str
    size: int
    url: str


def _signed(page: PublicPage, years: list[int]) -> QuerySet[StoredDocument]:
    return StoredDocument.objects.filter(
        organisation_id=page.organisation_id, fiscal_year__in=years
    )


def signed_documents(page: PublicPage, fiscal_year: int | None = None) -> list[PublicDocument]:
    """The signed copies (เอกสารที่ลงนามแล้ว) of the published years, or of one of them.

    Only stored copies are listed, never a fresh render: what is public is what was signed.
    One query (the published years are a subquery).
    """
    years = page.years.values("fiscal_year")
    documents = (
        StoredDocument.objects.filter(organisation_id=page.organisation_id, fiscal_year__in=years)
        .select_related("revision")
        .order_by("-fiscal_year", "kind", "pk")
    )
    if fiscal_year is not None:
        documents = documents.filter(fiscal_year=fiscal_year)
    return [
        PublicDocument(
            fiscal_year=d.fiscal_year,
            title=d.title,
            signed_at=d.created_at,
            sha256=d.sha256,
            size=d.size,
            url=reverse("public:signed-document", args=[page.slug, d.fiscal_year, d.pk]),
        )
        for d in documents
    ]


def public_signed_document(page: PublicPage, fiscal_year: int, pk: int) -> StoredDocument:
    """One signed copy of a published year of this page's organisation, else 404."""
    document = (
        StoredDocument.objects.filter(
            pk=pk,
            organisation_id=page.organisation_id,
            fiscal_year=fiscal_year,
            fiscal_year__in=page.years.values("fiscal_year"),
        )
        .select_related("organisation", "revision")
        .first()
    )
    if document is None:
        raise Http404
    return document
