"""The plan for the council: print view and downloads (PDF A4 landscape, DOCX, XLSX).

Anyone with a role in the plan's organisation may read and download it (``plans.access``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ita.document_views import document_response
from ita.exports import DOCX, PDF, XLSX
from ita.report_data import DocumentOptions, PlanDocument, plan_document
from plans import exports
from plans.access import plan_access
from plans.models import Plan

FORMATS: dict[str, tuple[str, Callable[[PlanDocument, DocumentOptions], bytes]]] = {
    "pdf": (PDF, exports.plan_pdf),
    "docx": (DOCX, exports.plan_docx),
    "xlsx": (XLSX, lambda plan, _options: exports.plan_xlsx(plan)),
}


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
    context = {"plan": _plan(request, pk), "options": options, "plan_pk": pk}
    return render(request, "documents/plan_page.html", context)


@login_required
def plan_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    options = DocumentOptions.from_query(request.GET.get("digits"))
    content_type, build = FORMATS[kind]
    document = _plan(request, pk)
    filename = f"ITA-plan-{document.fiscal_year}-{document.organisation}.{kind}"
    return document_response(build(document, options), content_type, filename)
