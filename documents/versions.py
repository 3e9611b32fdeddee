"""The keys of stored documents (``documents.rendered``): what each document depends on.

The report and the plan are keyed by data tokens, read in a few small queries without
building the document, so a stored copy is served at the cost of those queries:

- the report: every assessment of the organisation (`figures_version`, its framework's
  `figures_version`, the agency type it prints), the standard measures its drafted texts
  quote, every plan of the organisation (`content_version`, the approver's name), and the
  organisation's printed fields;
- the plan: its `content_version` (replaced by any write to the plan, its actions, progress,
  evidence or the organisation's divisions, ``plans.versions``), the framework token of the
  analysed year (indicator names and codes), the approver's name and the organisation's
  printed fields.

The follow-up report and the OIT checklist print the day they are made (as-of dates,
overdue items) and read rows with no token of their own (readiness entries, the next
year's results), so their key is a digest of their built content: building it is a few
queries, the render is what is saved.
"""

from __future__ import annotations

from typing import Any

from documents.content import DocumentOptions
from documents.rendered import DocumentKey, slot_name, version_of
from ita.models import Assessment, Organisation
from plans.models import MeasureTemplate, Plan


def _options(options: DocumentOptions) -> str:
    return "thai" if options.thai_digits else "arabic"


def _organisation(organisation: Organisation) -> tuple[str, str, str]:
    return (organisation.name, organisation.district, organisation.province)


def report_key(
    organisation: Organisation, year: int, kind: str, options: DocumentOptions
) -> DocumentKey | None:
    """The key of the analysis report (3 queries); None when the year was not assessed."""
    assessments = list(
        Assessment.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list(
            "pk",
            "figures_version",
            "framework__figures_version",
            "framework__fiscal_year",
            "framework__family",
            "agency_type",
        )
    )
    family = next((row[4] for row in assessments if row[3] == year), None)
    if family is None:
        return None
    measures = list(
        MeasureTemplate.objects.filter(family=family, is_active=True)
        .order_by("pk")
        .values_list("pk", "indicator_number", "item_code", "issue", "measure", "steps")
    )
    plans = list(
        Plan.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list(
            "pk",
            "content_version",
            "approved_by__first_name",
            "approved_by__last_name",
            "approved_by__username",
        )
    )
    version = version_of(
        "report", year, _organisation(organisation), assessments, measures, plans, options
    )
    return DocumentKey(
        slot=slot_name(f"report-{organisation.pk}-{year}", kind, _options(options)),
        version=version,
        suffix=kind,
    )


def plan_key(plan: dict[str, Any], kind: str, options: DocumentOptions) -> DocumentKey:
    """The key of the plan document from `plan_row` (no query)."""
    version = version_of("plan", sorted(plan.items()), options)
    return DocumentKey(
        slot=slot_name(f"plan-{plan['pk']}", kind, _options(options)),
        version=version,
        suffix=kind,
    )


def plan_row(pk: int) -> dict[str, Any] | None:
    """What the plan document depends on, one query; None when there is no such plan."""
    return (
        Plan.objects.filter(pk=pk)
        .values(
            "pk",
            "organisation_id",
            "fiscal_year",
            "status",
            "revision",
            "content_version",
            "organisation__name",
            "organisation__district",
            "organisation__province",
            "assessment__framework__figures_version",
            "approved_by__first_name",
            "approved_by__last_name",
            "approved_by__username",
        )
        .first()
    )


def content_key(document: str, kind: str, options: DocumentOptions, content: Any) -> DocumentKey:
    """The key of a document whose built content (a dataclass) is its own version."""
    return DocumentKey(
        slot=slot_name(document, kind, _options(options)),
        version=version_of(document, content, options),
        suffix=kind,
    )
