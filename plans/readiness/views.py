"""Pages of the OIT readiness board: the supervisors' board, opening a year, one item's
form (division clerks reach it from their my-work page), and asking for a link check.

Anyone with a plans role in the organisation may read the board; supervisors open years,
set owners and due dates and ask for link checks; a division clerk updates the items of
their own division.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.thai import fiscal_year_of
from plans.access import PlanAccess, plan_access
from plans.readiness import queries, services
from plans.readiness.forms import BoardFilterForm, ItemForm, OpenYearForm
from plans.readiness.models import ReadinessItem
from plans.roles import Role


@login_required
def board_index(request: HttpRequest, organisation_id: int | None = None) -> HttpResponse:
    access = plan_access(request, organisation_id).require_view()
    latest = access.organisation.readiness_years.order_by("-fiscal_year").first()
    years = queries.framework_years()
    year = (
        latest.fiscal_year
        if latest
        else (years[0] if years else fiscal_year_of(timezone.localdate()))
    )
    return redirect("plans:readiness-board", access.organisation.pk, year)


@login_required
def board(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    access = plan_access(request, organisation_id).require_view()
    context: dict[str, object] = {
        "access": access,
        "fiscal_year": year,
        "years": queries.framework_years(),
    }
    entry = queries.readiness_year(access.organisation, year)
    if entry is None:
        if year not in context["years"]:  # type: ignore[operator]
            context["refusal"] = services.no_framework_message(year)
            return render(request, "plans/readiness_board.html", context, status=404)
        context["open_form"] = OpenYearForm(fiscal_year=year) if access.can_manage else None
        return render(request, "plans/readiness_board.html", context)
    form = BoardFilterForm(request.GET or None, organisation=access.organisation)
    division = status = None
    if form.is_valid():
        division, status = form.cleaned_data["division"], form.cleaned_data["status"]
    context |= {
        "board": queries.board(
            entry,
            timezone.localdate(),
            division_id=division.pk if division else None,
            status=status or "",
        ),
        "filter_form": form,
        "filtered": bool(division or status),
    }
    return render(request, "plans/readiness_board.html", context)


@require_POST
@login_required
def year_open(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    access = plan_access(request, organisation_id).require_manage()
    form = OpenYearForm(request.POST, fiscal_year=year)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("plans:readiness-board", access.organisation.pk, year)
    try:
        services.readiness_open(
            organisation=access.organisation,
            fiscal_year=year,
            default_due_date=form.cleaned_data["default_due_date"],
            user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The OIT items of the year are on the board."))
    return redirect("plans:readiness-board", access.organisation.pk, year)


def _may_edit(access: PlanAccess, entry: ReadinessItem) -> bool:
    if access.can_manage:
        return True
    return (
        access.role == Role.STAFF
        and entry.division_id is not None
        and entry.division_id == access.division_id
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = queries.item_for_edit(pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    access = plan_access(request, entry.year.organisation_id).require_view()
    if not _may_edit(access, entry):
        raise PermissionDenied("Not this division's item.")
    form = ItemForm(
        request.POST or None,
        entry=entry,
        organisation=access.organisation,
        owner=access.can_manage,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.readiness_item_update(item=entry, change=form.change(), user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("%(code)s was saved.") % {"code": entry.item.code})
            if access.can_manage:
                return redirect(entry.year)
            return redirect("plans:organisation-my-work", access.organisation.pk)
    context = {
        "access": access,
        "entry": entry,
        "form": form,
        "history": queries.item_history(entry),
    }
    return render(request, "plans/readiness_item.html", context)


@require_POST
@login_required
def link_check_start(request: HttpRequest, organisation_id: int, year: int) -> HttpResponse:
    access = plan_access(request, organisation_id).require_manage()
    entry = queries.readiness_year(access.organisation, year)
    if entry is None:
        raise Http404("No board for this year.")
    services.link_check_request(year=entry, user=request.user)
    messages.success(
        request,
        _("The links are being checked in the background; reload this page in a few minutes."),
    )
    return redirect(entry)
