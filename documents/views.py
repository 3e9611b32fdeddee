"""The printed documents: the analysis report (print view, PDF, DOCX, XLSX, its texts) and
the plan for the council (print view, PDF A4 landscape, DOCX, XLSX), and the follow-up
report on that plan (same formats, three editions).

Members of the organisation may read and download the report (``ita.access``); editing the
analysis texts is a supervisor's task (``plans.access``), like the plan the report ends with.
Anyone with a role in a plan's organisation may read and download the plan.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus

from documents import exports, queries, rendered, tasks, versions
from documents.content import (
    DocumentOptions,
    PlanDocument,
    ReportData,
    plan_document,
    remedies_token,
    report_data,
)
from documents.exports import checklist as checklist_exports
from documents.exports import followup as followup_exports
from documents.exports.checklist import ChecklistDocument
from documents.exports.formats import PLAN_FORMATS
from documents.exports.formats import REPORT_FORMATS as FORMATS
from documents.followup import (
    EDITION_LABELS,
    Edition,
    FollowupReport,
    edition_from_query,
    followup_report,
)
from documents.forms import LastChange, NarrativesForm, SignForm
from documents.models import StoredDocument
from ita import pagecache
from ita import queries as ita_queries
from ita.access import organisation_required, request_membership
from ita.models import Assessment, IndicatorResult, Organisation
from ita.services.narratives import narratives_save
from plans.access import plan_access, role_in
from plans.enums import PlanStatus
from plans.models import Plan
from plans.readiness.queries import readiness_year
from plans.roles import can_manage


def document_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _report(organisation: Organisation, year: int, options: DocumentOptions) -> ReportData:
    report = report_data(organisation, year, options)
    if report is None:
        raise Http404("No assessment for this year.")
    return report


@organisation_required(membership=True)
def report_page(request: HttpRequest, organisation: Organisation, year: int) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    can_edit = can_manage(role_in(request.user, request_membership(request)))
    years = ita_queries.organisation_assessment_keys(organisation.pk)
    chosen = next((a for a in years if a.fiscal_year == year), None)
    if chosen is None:
        raise Http404("No assessment for this year.")
    # The body prints the year figures, the plan (the plans token), the standard measures
    # the drafts are written from, and (through the query string) the digit style.
    key = pagecache.body_key(
        request,
        "report",
        organisation,
        figures=[a.figures for a in years],
        extra=[remedies_token(chosen.family), f"edit={can_edit}"],
    )

    def render_body() -> dict[str, str]:
        context = {"report": _report(organisation, year, options), "options": options}
        toolbar = {
            "organisation": organisation,
            "year": year,
            "options": options,
            "can_edit": can_edit,
        }
        return {
            "toolbar": render_to_string("documents/includes/report_toolbar.html", toolbar),
            "body": render_to_string("documents/includes/report_page_body.html", context),
        }

    parts = pagecache.cached_body(key, render_body)
    context = {
        # Our own templates' output, escaped there.
        "toolbar": mark_safe(parts["toolbar"]),
        "body": mark_safe(parts["body"]),
        "year": year,
        "organisation": organisation,
        "signed": queries.signed_report_notice(organisation.pk, year),
    }
    return render(request, "documents/report_page.html", context)


@organisation_required
def report_file(
    request: HttpRequest, organisation: Organisation, year: int, kind: str
) -> HttpResponse:
    filename = f"ITA-{year}-{organisation.name}.{kind}"
    signed = queries.signed_report(organisation.pk, year) if kind == "pdf" else None
    if signed is not None:
        return document_response(signed.read(), exports.PDF, filename)
    options = DocumentOptions.from_query(request.GET.get("digits"))
    content_type, build = FORMATS[kind]
    key = versions.report_key(organisation, year, kind, options)
    if key is None:
        raise Http404("No assessment for this year.")
    content = rendered.rendered(key, lambda: build(_report(organisation, year, options), options))
    return document_response(content, content_type, filename)


def _last_changes(organisation: Organisation, year: int) -> dict[int, LastChange]:
    """The last saved change of each indicator's texts (1 query)."""
    changes: dict[int, LastChange] = {}
    history = (
        IndicatorResult.history.filter(
            assessment__organisation=organisation, assessment__framework__fiscal_year=year
        )
        .select_related("history_user", "indicator")
        .order_by("-history_date")
    )
    for record in history:
        number = record.indicator.number
        if number not in changes:
            user = record.history_user
            name = (user.get_full_name() or user.get_username()) if user else "-"
            changes[number] = LastChange(user=name, when=record.history_date)
    return changes


@login_required
def narratives_edit(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    organisation = plan_access(request, organisation_id).require_manage().organisation
    report = _report(organisation, year, DocumentOptions())
    form = NarrativesForm(
        request.POST or None,
        sections=report.indicators,
        changes=_last_changes(organisation, year),
    )
    if request.method == "POST" and form.is_valid():
        assessment = get_object_or_404(
            Assessment.objects.select_related("framework"),
            organisation=organisation,
            framework__fiscal_year=year,
        )
        try:
            changed = narratives_save(
                assessment=assessment,
                texts=form.texts(),
                remarks=form.remarks(),
                verdicts=form.verdicts(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(changed)
            messages.success(
                request,
                ngettext("Saved %(count)s analysis text.", "Saved %(count)s analysis texts.", count)
                % {"count": count},
            )
            return redirect("documents:report", organisation_id=organisation.pk, year=year)
    context = {"report": report, "form": form, "organisation": organisation}
    return render(request, "documents/narratives_edit.html", context)


def _plan(request: HttpRequest, pk: int) -> PlanDocument:
    """The plan as a document, after checking the user may see its organisation."""
    plan = Plan.objects.filter(pk=pk).values("organisation_id", "fiscal_year").first()
    if plan is None:
        raise Http404("No such plan.")
    access = plan_access(request, plan["organisation_id"]).require_view()
    document = plan_document(access.organisation, plan["fiscal_year"])
    assert document is not None  # the plan was just found
    return document


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    plan = _plan(request, pk)
    signed = queries.plan_copy(pk, plan.revision) if plan.status != PlanStatus.DRAFT else None
    context = {"plan": plan, "options": options, "plan_pk": pk, "signed": signed}
    return render(request, "documents/plan_page.html", context)


@login_required
def plan_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    content_type, build = PLAN_FORMATS[kind]
    plan = versions.plan_row(pk)
    if plan is None:
        raise Http404("No such plan.")
    access = plan_access(request, plan["organisation_id"]).require_view()
    filename = f"ITA-plan-{plan['fiscal_year']}-{plan['organisation__name']}.{kind}"
    if kind == "pdf" and plan["status"] != PlanStatus.DRAFT:
        # The approved plan is the PDF stored at approval, whatever changed since.
        stored = queries.plan_copy(pk, plan["revision"])
        if stored is not None:
            return document_response(stored.read(), exports.PDF, filename)
    key = versions.plan_key(plan, kind, options)
    if not rendered.is_stored(key) and _in_background(pk):
        result = tasks.plan_document_render.enqueue(pk, kind, options.digits, get_language())
        if not rendered.is_stored(key):  # a worker renders it (an immediate backend did)
            return redirect(_wait_url(pk, kind, options, result.id))

    def render() -> bytes:
        document = plan_document(access.organisation, plan["fiscal_year"])
        assert document is not None  # the plan was just found
        return build(document, options)

    return document_response(rendered.rendered(key, render), content_type, filename)


def _in_background(plan_id: int) -> bool:
    return tasks.plan_action_count(plan_id) >= settings.DOCUMENTS_BACKGROUND_ACTIONS


def _wait_url(pk: int, kind: str, options: DocumentOptions, task_id: str) -> str:
    query = urlencode({"digits": "thai" if options.thai_digits else "arabic", "task": task_id})
    return reverse("documents:plan-wait", args=[pk, kind]) + "?" + query


@login_required
def plan_file_wait(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The progress page of a plan document rendered in the background: it refreshes until
    the file is stored, then sends the browser to the download (served from storage)."""
    if kind not in PLAN_FORMATS:
        raise Http404("No such format.")
    options = DocumentOptions.from_query(request.GET.get("digits"))
    plan = versions.plan_row(pk)
    if plan is None:
        raise Http404("No such plan.")
    plan_access(request, plan["organisation_id"]).require_view()
    download = (
        reverse(f"documents:plan-{kind}", args=[pk])
        + "?"
        + urlencode({"digits": "thai" if options.thai_digits else "arabic"})
    )
    if rendered.is_stored(versions.plan_key(plan, kind, options)):
        return redirect(download)
    context = {
        "failed": _task_failed(request.GET.get("task", "")),
        "download": download,
        "plan_pk": pk,
        "fiscal_year": plan["fiscal_year"],
    }
    return render(request, "documents/document_wait.html", context)


def _task_failed(task_id: str) -> bool:
    """Whether the background render asked for has failed (an unknown id has not)."""
    try:
        result = tasks.plan_document_render.get_result(task_id)
    except Exception:  # unknown or malformed id, or a backend that keeps no results
        return False
    return result.status == TaskResultStatus.FAILED


FOLLOWUP_FORMATS: dict[str, tuple[str, Callable[[FollowupReport, DocumentOptions], bytes]]] = {
    "pdf": (exports.PDF, followup_exports.followup_pdf),
    "docx": (exports.DOCX, followup_exports.followup_docx),
    "xlsx": (exports.XLSX, lambda report, _options: followup_exports.followup_xlsx(report)),
}


def _followup(request: HttpRequest, pk: int) -> FollowupReport:
    """The follow-up report of the chosen edition, after checking the user may see the plan."""
    plan = (
        Plan.objects.filter(pk=pk).select_related("organisation", "assessment__framework").first()
    )
    if plan is None:
        raise Http404("No such plan.")
    plan_access(request, plan.organisation_id).require_view()
    edition = edition_from_query(request.GET.get("edition"))
    return followup_report(plan, edition, today=timezone.localdate())


@login_required
def followup_page(request: HttpRequest, pk: int) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    report = _followup(request, pk)
    context = {
        "report": report,
        "options": options,
        "plan_pk": pk,
        "rows": [
            (row, followup_exports.score_text(row, thai=options.thai_digits)) for row in report.rows
        ],
        "editions": [(e.value, EDITION_LABELS[e]) for e in Edition],
        "signed": queries.signed_followup(pk, report.edition),
    }
    return render(request, "documents/followup_page.html", context)


@login_required
def followup_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    content_type, build = FOLLOWUP_FORMATS[kind]
    report = _followup(request, pk)
    filename = f"ITA-followup-{report.fiscal_year}-{report.edition}-{report.organisation}.{kind}"
    signed = queries.signed_followup(pk, report.edition) if kind == "pdf" else None
    if signed is not None:  # signed off: frozen, never rendered again
        return document_response(signed.read(), exports.PDF, filename)
    key = versions.content_key(f"followup-{pk}-{report.edition}", kind, options, report)
    content = rendered.rendered(key, lambda: build(report, options))
    return document_response(content, content_type, filename)


CHECKLIST_FORMATS: dict[str, tuple[str, Callable[[ChecklistDocument, DocumentOptions], bytes]]] = {
    "pdf": (exports.PDF, checklist_exports.checklist_pdf),
    "xlsx": (exports.XLSX, lambda checklist, _options: checklist_exports.checklist_xlsx(checklist)),
}


@login_required
def checklist_file(
    request: HttpRequest, organisation_id: int, year: int, kind: str
) -> HttpResponse:
    """Every OIT item of the year as a checklist; anyone with a plans role may print it."""
    access = plan_access(request, organisation_id).require_view()
    entry = readiness_year(access.organisation, year)
    if entry is None:
        raise Http404("No OIT board for this year.")
    options = DocumentOptions.from_query(request.GET.get("digits"))
    content_type, build = CHECKLIST_FORMATS[kind]
    checklist = checklist_exports.checklist_document(entry, timezone.localdate())
    filename = f"OIT-checklist-{year}-{access.organisation.name}.{kind}"
    document = f"checklist-{access.organisation.pk}-{year}"
    key = versions.content_key(document, kind, options, checklist)
    content = rendered.rendered(key, lambda: build(checklist, options))
    return document_response(content, content_type, filename)


# --- The documents page, signing, and the signed copies --------------------------------------


def _documents(request: HttpRequest, organisation_id: int, year: int | None) -> HttpResponse:
    access = plan_access(request, organisation_id).require_view()
    shown = queries.year_documents(access.organisation, year, today=timezone.localdate())
    if year is not None and year not in shown.years:
        raise Http404("No results for this year.")
    context = {"documents": shown, "organisation": access.organisation, "access": access}
    return render(request, "documents/documents.html", context)


@login_required
def documents_latest(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _documents(request, organisation_id, None)


@login_required
def documents_year(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    return _documents(request, organisation_id, year)


@login_required
@require_POST
def documents_sign(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    organisation = plan_access(request, organisation_id).require_manage().organisation
    form = SignForm(request.POST, organisation=organisation, fiscal_year=year)
    back = redirect("documents:year", organisation_id=organisation.pk, year=year)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return back
    try:
        form.sign(user=request.user, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Signed. The stored copy will not change."))
    return back


@login_required
def stored_file(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_object_or_404(
        StoredDocument.objects.select_related("organisation", "revision"), pk=document_id
    )
    plan_access(request, document.organisation_id).require_view()
    response = document_response(document.read(), exports.PDF, document.download_name())
    response["ETag"] = f'"{document.sha256}"'
    return response
