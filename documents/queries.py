"""Reads of the documents app: the documents of one organisation and year, and signed copies.

`year_documents` gathers the documents page in three queries whatever the number of plans,
revisions or signed copies (pinned by tests/documents/test_documents_page.py). The kinds of
document are a small registry (`KINDS`): each knows its title and how to list its entries
from the year's plans and signed copies, so a new kind is one more entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from documents.enums import DocumentKind, DocumentState, SignedEdition
from documents.followup import EDITION_LABELS, Edition, edition_date
from documents.models import StoredDocument
from documents.signing import sign_refusal
from ita.models import Assessment, Organisation
from ita.prepared import PreparedValues
from plans.enums import PlanStatus
from plans.models import Plan


@dataclass(frozen=True)
class FileLink:
    label: str
    url: str


@dataclass(frozen=True)
class StoredCopy:
    pk: int
    label: str
    signed_by: str
    signed_at: datetime
    sha256: str
    size: int
    url: str


@dataclass(frozen=True)
class SignTarget:
    """What the sign form posts for one document."""

    kind: str
    plan: int | None = None
    edition: str = ""


@dataclass(frozen=True)
class DocumentEntry:
    kind: str
    title: str
    state: str
    who: str = ""
    when: datetime | date | None = None
    council_date: date | None = None
    council_note: str = ""
    page_url: str = ""
    files: tuple[FileLink, ...] = ()
    copies: tuple[StoredCopy, ...] = ()
    sign: SignTarget | None = None

    @property
    def state_label(self) -> str:
        return str(DocumentState(self.state).label)


@dataclass
class YearDocuments:
    organisation: Organisation
    fiscal_year: int | None
    years: list[int]
    groups: list[tuple[object, list[DocumentEntry]]] = field(default_factory=list)

    @property
    def entries(self) -> list[DocumentEntry]:
        return [entry for _heading, entries in self.groups for entry in entries]


@dataclass(frozen=True)
class _Year:
    """What the builders of each kind read: one year's plans and signed copies."""

    organisation: Organisation
    fiscal_year: int
    plans: Sequence[Plan]
    stored: Sequence[StoredDocument]
    today: date


def _person(user: object) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def _copy(document: StoredDocument, label: str = "") -> StoredCopy:
    return StoredCopy(
        pk=document.pk,
        label=label,
        signed_by=document.signer_name,
        signed_at=document.created_at,
        sha256=document.sha256,
        size=document.size,
        url=reverse("documents:stored-file", args=[document.pk]),
    )


def _files(names: tuple[str, str, str], query: str = "", **kwargs: int) -> tuple[FileLink, ...]:
    return tuple(
        FileLink(label, reverse(name, kwargs=kwargs) + query)
        for label, name in zip(("PDF", "DOCX", "XLSX"), names, strict=True)
    )


def _report_entries(year: _Year) -> list[DocumentEntry]:
    signed = next((d for d in year.stored if d.kind == DocumentKind.REPORT), None)
    ids = {"organisation_id": year.organisation.pk, "year": year.fiscal_year}
    refusal = sign_refusal(DocumentKind.REPORT, already_signed=signed is not None)
    return [
        DocumentEntry(
            kind=DocumentKind.REPORT,
            title=gettext("Analysis of the ITA results, fiscal year %(year)s")
            % {"year": year.fiscal_year},
            state=DocumentState.SIGNED if signed else DocumentState.DRAFT,
            who=_person(signed.created_by) if signed else "",
            when=signed.created_at if signed else None,
            page_url=reverse("documents:report", kwargs=ids),
            files=_files(
                ("documents:report-pdf", "documents:report-docx", "documents:report-xlsx"), **ids
            ),
            copies=(_copy(signed),) if signed else (),
            sign=None if refusal else SignTarget(kind=DocumentKind.REPORT),
        )
    ]


def _plan_entries(year: _Year) -> list[DocumentEntry]:
    entries = []
    for plan in year.plans:
        copies = sorted(
            (d for d in year.stored if d.kind == DocumentKind.PLAN and d.plan_id == plan.pk),
            key=lambda d: d.revision.number if d.revision else 0,
        )
        current = any(d.revision and d.revision.number == plan.revision for d in copies)
        refusal = sign_refusal(DocumentKind.PLAN, already_signed=current, plan_status=plan.status)
        entries.append(
            DocumentEntry(
                kind=DocumentKind.PLAN,
                title=gettext("Improvement plan for fiscal year %(year)s, revision %(revision)s")
                % {"year": plan.fiscal_year, "revision": plan.revision},
                state=plan.status,
                who=_person(plan.approved_by),
                when=plan.approved_at,
                council_date=plan.council_date,
                council_note=plan.council_note,
                page_url=reverse("documents:plan", args=[plan.pk]),
                files=_files(
                    ("documents:plan-pdf", "documents:plan-docx", "documents:plan-xlsx"), pk=plan.pk
                ),
                copies=tuple(
                    _copy(
                        d,
                        gettext("revision %(number)s")
                        % {"number": d.revision.number if d.revision else "-"},
                    )
                    for d in copies
                ),
                sign=None if refusal else SignTarget(kind=DocumentKind.PLAN, plan=plan.pk),
            )
        )
    return entries


def _followup_entries(year: _Year) -> list[DocumentEntry]:
    entries = []
    for plan in year.plans:
        if plan.status == PlanStatus.DRAFT and plan.revision == 1:
            continue  # nothing to follow up before the first approval
        for edition in (Edition.MID_YEAR, Edition.YEAR_END):
            signed = next(
                (
                    d
                    for d in year.stored
                    if d.kind == DocumentKind.FOLLOWUP
                    and d.plan_id == plan.pk
                    and d.edition == edition.value
                ),
                None,
            )
            refusal = sign_refusal(
                DocumentKind.FOLLOWUP,
                already_signed=signed is not None,
                edition=edition.value,
                as_of=edition_date(edition, plan.fiscal_year, year.today),
                today=year.today,
            )
            query = f"?edition={edition.value}"
            entries.append(
                DocumentEntry(
                    kind=DocumentKind.FOLLOWUP,
                    title=f"{EDITION_LABELS[edition]} · "
                    + gettext("plan for fiscal year %(year)s") % {"year": plan.fiscal_year},
                    state=DocumentState.SIGNED if signed else DocumentState.DRAFT,
                    who=_person(signed.created_by) if signed else "",
                    when=signed.created_at if signed else None,
                    page_url=reverse("documents:followup", args=[plan.pk]) + query,
                    files=_files(
                        (
                            "documents:followup-pdf",
                            "documents:followup-docx",
                            "documents:followup-xlsx",
                        ),
                        query,
                        pk=plan.pk,
                    ),
                    copies=(_copy(signed),) if signed else (),
                    sign=None
                    if refusal
                    else SignTarget(
                        kind=DocumentKind.FOLLOWUP, plan=plan.pk, edition=edition.value
                    ),
                )
            )
    return entries


@dataclass(frozen=True)
class KindSpec:
    kind: DocumentKind
    heading: object  # a lazy translation
    entries: Callable[[_Year], list[DocumentEntry]]


KINDS: tuple[KindSpec, ...] = (
    KindSpec(DocumentKind.REPORT, gettext_lazy("Analysis report"), _report_entries),
    KindSpec(DocumentKind.PLAN, gettext_lazy("Plan for the council"), _plan_entries),
    KindSpec(DocumentKind.FOLLOWUP, gettext_lazy("Follow-up reports"), _followup_entries),
)


def result_years(organisation: Organisation) -> list[int]:
    """The organisation's years with ITA results, newest first (1 query)."""
    return list(
        Assessment.objects.filter(organisation=organisation)
        .order_by("-framework__fiscal_year")
        .values_list("framework__fiscal_year", flat=True)
    )


def year_documents(
    organisation: Organisation, fiscal_year: int | None, *, today: date
) -> YearDocuments:
    """Every document of a results year (the newest with None): 3 queries whatever the size."""
    years = result_years(organisation)
    if fiscal_year is None:
        fiscal_year = years[0] if years else None
    shown = YearDocuments(organisation=organisation, fiscal_year=fiscal_year, years=years)
    if fiscal_year is None or fiscal_year not in years:
        return shown
    plans = list(
        Plan.objects.filter(
            organisation=organisation, assessment__framework__fiscal_year=fiscal_year
        )
        .select_related("approved_by")
        .order_by("fiscal_year", "pk")
    )
    stored = list(
        StoredDocument.objects.of_year(organisation.pk, fiscal_year)
        .select_related("created_by", "revision")
        .order_by("pk")
    )
    year = _Year(organisation, fiscal_year, plans, stored, today)
    shown.groups = [(spec.heading, spec.entries(year)) for spec in KINDS]
    return shown


# --- The signed copy a document URL serves ---------------------------------------------------


def signed_report(organisation_id: int, fiscal_year: int) -> StoredDocument | None:
    return (
        StoredDocument.objects.of_year(organisation_id, fiscal_year)
        .filter(kind=DocumentKind.REPORT)
        .select_related("created_by")
        # One per organisation and year (a constraint): the default ordering's join to the
        # organisation for its name would only cost time.
        .order_by()
        .first()
    )


@dataclass(frozen=True)
class SignedNotice:
    """What the report page says of its signed copy (signed_notice.html)."""

    pk: int
    created_at: datetime
    sha256: str
    signer_name: str


def _signed_reports(organisation_id: int, fiscal_year: int) -> QuerySet[Any, tuple[Any, ...]]:
    return (
        StoredDocument.objects.of_year(organisation_id, fiscal_year)
        .filter(kind=DocumentKind.REPORT)
        .order_by()
        .values_list(
            "pk",
            "created_at",
            "sha256",
            "created_by__first_name",
            "created_by__last_name",
            "created_by__username",
        )[:1]
    )


_SIGNED_REPORTS = PreparedValues(_signed_reports)


def signed_report_notice(organisation_id: int, fiscal_year: int) -> SignedNotice | None:
    """The year's signed report as its page prints it (one query of plain values, its SQL
    compiled once: the report page reads it on every request)."""
    for pk, created_at, sha256, first, last, username in _SIGNED_REPORTS(
        organisation_id=organisation_id, fiscal_year=fiscal_year
    ):
        # As StoredDocument.signer_name: the full name, else the user name, "" when the
        # account is gone (the LEFT JOIN gives None for all three).
        names = (first or "", last or "")
        return SignedNotice(
            pk=pk,
            created_at=created_at,
            sha256=sha256,
            signer_name=" ".join(names).strip() or username or "",
        )
    return None


def plan_copy(plan_id: int, revision: int) -> StoredDocument | None:
    """The stored PDF of the plan's `revision` (as approved), if it was stored."""
    return (
        StoredDocument.objects.filter(
            kind=DocumentKind.PLAN, plan_id=plan_id, revision__number=revision
        )
        .select_related("created_by")
        .first()
    )


def signed_followup(plan_id: int, edition: str) -> StoredDocument | None:
    if edition not in (SignedEdition.MID_YEAR, SignedEdition.YEAR_END):
        return None
    return (
        StoredDocument.objects.filter(kind=DocumentKind.FOLLOWUP, plan_id=plan_id, edition=edition)
        .select_related("created_by")
        .first()
    )
