"""The analysis report: its print view, its downloads (PDF, DOCX, XLSX) and its texts.

Members of the organisation may read and download (``ita.access``); editing the analysis
texts is a supervisor's task (``plans.access``), like the plan the report ends with.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import ngettext

from ita import exports
from ita.access import organisation_required
from ita.models import Assessment, Organisation
from ita.narrative_forms import NarrativesForm
from ita.narrative_services import narratives_save
from ita.report_data import DocumentOptions, ReportData, report_data
from plans.access import membership_of, plan_access, role_in
from plans.roles import can_manage

FORMATS: dict[str, tuple[str, Callable[[ReportData, DocumentOptions], bytes]]] = {
    "pdf": (exports.PDF, exports.report_pdf),
    "docx": (exports.DOCX, exports.report_docx),
    "xlsx": (exports.XLSX, lambda report, _options: exports.report_xlsx(report)),
}


def document_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _report(organisation: Organisation, year: int, options: DocumentOptions) -> ReportData:
    report = report_data(organisation, year, options)
    if report is None:
        raise Http404("No assessment for this year.")
    return report


@organisation_required
def report_page(request: HttpRequest, organisation: Organisation, year: int) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    context = {
        "report": _report(organisation, year, options),
        "options": options,
        "organisation": organisation,
        "can_edit": can_manage(role_in(request.user, membership_of(request.user, organisation))),
    }
    return render(request, "documents/report_page.html", context)


@organisation_required
def report_file(
    request: HttpRequest, organisation: Organisation, year: int, kind: str
) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    content_type, build = FORMATS[kind]
    content = build(_report(organisation, year, options), options)
    filename = f"ITA-{year}-{organisation.name}.{kind}"
    return document_response(content, content_type, filename)


@login_required
def narratives_edit(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    organisation = plan_access(request, organisation_id).require_manage().organisation
    report = _report(organisation, year, DocumentOptions())
    form = NarrativesForm(request.POST or None, sections=report.indicators)
    if request.method == "POST" and form.is_valid():
        assessment = get_object_or_404(
            Assessment.objects.select_related("framework"),
            organisation=organisation,
            framework__fiscal_year=year,
        )
        changed = narratives_save(assessment=assessment, texts=form.texts())
        count = len(changed)
        messages.success(
            request,
            ngettext("Saved %(count)s analysis text.", "Saved %(count)s analysis texts.", count)
            % {"count": count},
        )
        return redirect("documents:report", organisation_id=organisation.pk, year=year)
    context = {"report": report, "form": form, "organisation": organisation}
    return render(request, "documents/narratives_edit.html", context)
