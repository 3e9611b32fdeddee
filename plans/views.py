"""Pages of the improvement plans: list, drafting, actions, approval, follow-up, history.

Every view asks `plans.access.plan_access` first (404 outside the user's organisations, 403
without the role), validates with a form, calls one service or query, renders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita import csrfslot, pagecache
from ita import queries as ita_queries
from plans import queries, services
from plans.access import PlanAccess, plan_access
from plans.carryover_queries import carry_offers
from plans.enums import ActionStatus
from plans.forms import (
    REASON_LABELS,
    ActionForm,
    AssignForm,
    CarryFormSet,
    PlanCreateForm,
    PresentForm,
    ProgressForm,
    ProposalFormSet,
    ReviseForm,
    accepted_drafts,
    proposal_initial,
)
from plans.models import Action, Plan
from plans.outcome_queries import plan_outcomes
from plans.outcomes import summarise
from plans.readiness import queries as readiness_queries
from plans.tables import DivisionWorkTable, PlanTable
from plans.versions import plan_token

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def _get(load: Callable[[int], M], pk: int) -> M:
    try:
        return load(pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _attempt(form: forms.BaseForm | None, request: HttpRequest, call: Callable[[], T]) -> T | None:
    """Run a service; its refusal becomes the form's error (or a message without a form)."""
    try:
        return call()
    except ValidationError as exc:
        if form is None:
            for message in exc.messages:
                messages.error(request, message)
        else:
            form.add_error(None, exc.messages)
        return None


def _outcome_context(plan: Plan, actions: list[Action]) -> dict[str, object]:
    outcomes = plan_outcomes(plan, actions)
    base_year = plan.assessment.framework.fiscal_year
    return {
        "outcomes": outcomes,
        "summary": summarise(outcomes),
        "base_year": base_year,
        "later_year": base_year + 1,
        "statuses": ActionStatus.choices,
    }


def _plan_for_change(request: HttpRequest, pk: int) -> tuple[Plan, PlanAccess]:
    plan = _get(queries.plan_header, pk)
    return plan, plan_access(request, plan.organisation_id).require_manage()


def _action_for_change(request: HttpRequest, pk: int) -> tuple[Action, PlanAccess]:
    action = _get(queries.action_for_edit, pk)
    return action, plan_access(request, action.plan.organisation_id).require_manage()


@login_required
def plan_list(request: HttpRequest, organisation_id: int | None = None) -> HttpResponse:
    access = plan_access(request, organisation_id).require_view()
    plans = queries.plans_for(access.organisation, timezone.localdate())
    context = {"access": access, "table": PlanTable(plans)}
    return render(request, "plans/plan_list.html", context)


@login_required
def plan_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    access = plan_access(request, organisation_id).require_manage()
    form = PlanCreateForm(request.POST or None, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        plan = _attempt(
            form,
            request,
            lambda: services.plan_create(
                organisation=access.organisation,
                assessment=form.cleaned_data["assessment"],
                fiscal_year=form.cleaned_data["fiscal_year"],
                user=request.user,
            ),
        )
        if plan is not None:
            messages.success(request, _("The draft plan was created. Choose its actions."))
            return redirect("plans:plan-draft", plan.pk)
    return render(request, "plans/plan_create.html", {"access": access, "form": form})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    plan = _get(queries.plan_page_header, pk)
    access = plan_access(request, plan.organisation_id).require_view()
    # The plan table and its outcomes print the plan's rows (its token), the results of the
    # organisation's years (the outcomes' scores), today's date (overdue marks) and whether
    # the viewer may manage; the CSRF forms, the menu and the revisions stay outside.
    years = ita_queries.organisation_assessment_keys(plan.organisation_id)
    key = pagecache.request_key(
        request,
        "plan-detail",
        plan.pk,
        [
            plan_token(plan),
            today.isoformat(),
            f"manage={access.can_manage}",
            # The header and the approval panel name the organisation and the approver.
            pagecache.organisation_row(access.organisation),
            plan.approver_name,
            plan.approver_username,
            *(a.figures for a in years),
        ],
    )

    def render_body() -> dict[str, str]:
        full = queries.plan_with_actions(pk, today)
        actions = list(full.actions.all())
        context = {"access": access, "plan": full, "actions": actions}
        context |= _outcome_context(full, actions)
        html = render_to_string("plans/includes/plan_detail_body.html", context, request=request)
        panel = {"access": access, "plan": full, "revise_form": ReviseForm()}
        top = render_to_string("plans/includes/plan_top.html", panel | csrfslot.slot_context())
        links = render_to_string("plans/includes/plan_links.html", {"plan": full})
        return {"body": html, "top": top, "links": links}

    parts = pagecache.cached_body(key, render_body)
    context = {
        "access": access,
        "plan": plan,
        "organisation": access.organisation,
        "revisions": plan.revisions,
        "top": csrfslot.filled(request, parts["top"]),
        # Rendered by our own templates, escaped there.
        "plan_body": mark_safe(parts["body"]),
        "links": mark_safe(parts["links"]),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_draft(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = _plan_for_change(request, pk)
    if plan.is_frozen:
        messages.error(request, _("The plan is approved: start a new revision to change it."))
        return redirect(plan)
    proposals = queries.plan_proposals(plan)
    carry = carry_offers(plan)
    data = request.POST or None
    formset = ProposalFormSet(data, initial=proposal_initial(proposals), prefix="p")
    # A post without the carry-over rows (sent before they were offered) carries nothing.
    carry_data = data if data is not None and "c-TOTAL_FORMS" in data else None
    carry_set = (
        CarryFormSet(carry_data, offers=carry.offers, targets=carry.targets, prefix="c")
        if carry.offers
        else None
    )
    carry_ok = carry_set is None or not carry_set.is_bound or carry_set.is_valid()
    if data is not None and formset.is_valid() and carry_ok:
        drafts = accepted_drafts(formset, proposals)
        carries = carry_set.choices() if carry_set and carry_set.is_bound else []
        created = _attempt(
            None,
            request,
            lambda: services.actions_add(plan=plan, drafts=drafts, carries=carries),
        )
        if created is not None:
            messages.success(request, _("%(count)s actions added.") % {"count": len(created)})
            return redirect(plan)
    context = {
        "access": access,
        "plan": plan,
        "formset": formset,
        "rows": list(zip(formset.forms, proposals, strict=False)),
        "carry_set": carry_set,
        "previous": carry.previous,
        "offered": carry.proposal_keys,
        "reasons": REASON_LABELS,
    }
    return render(request, "plans/plan_draft.html", context)


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = _plan_for_change(request, pk)
    form = ActionForm(request.POST or None, instance=Action(plan=plan), plan=plan)
    if request.method == "POST" and form.is_valid():
        action = _attempt(
            form, request, lambda: services.action_create(plan=plan, **form.content())
        )
        if action is not None:
            return redirect("plans:action-assign", action.pk)
    context = {"access": access, "plan": plan, "form": form}
    return render(request, "plans/action_form.html", context)


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = _action_for_change(request, pk)
    form = ActionForm(request.POST or None, instance=action, plan=action.plan)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form, request, lambda: services.action_update(action=action, **form.content())
        )
        if done is not None:
            messages.success(request, _("The action was saved."))
            return redirect(action.plan)
    context = {"access": access, "plan": action.plan, "action": action, "form": form}
    return render(request, "plans/action_form.html", context)


@login_required
def action_assign(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = _action_for_change(request, pk)
    initial = {"divisions": list(action.divisions.all()), "all_divisions": action.all_divisions}
    form = AssignForm(request.POST or None, initial=initial, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            request,
            lambda: services.action_assign(
                action=action,
                divisions=form.cleaned_data["divisions"],
                all_divisions=form.cleaned_data["all_divisions"],
            ),
        )
        if done is not None:
            messages.success(request, _("The responsible divisions were saved."))
            return redirect(action.plan)
    context = {"access": access, "plan": action.plan, "action": action, "form": form}
    return render(request, "plans/action_assign.html", context)


@require_POST
@login_required
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action, _access = _action_for_change(request, pk)
    plan = action.plan
    if _attempt(None, request, lambda: services.action_delete(action=action)):
        messages.success(request, _("The action was removed from the draft."))
    return redirect(plan)


def _action_page(
    request: HttpRequest, action: Action, access: PlanAccess, form: ProgressForm | None
) -> HttpResponse:
    division_ids = [d.pk for d in action.divisions.all()]
    # A carried-on action keeps its history; new progress goes to its continuation.
    can_report = (
        action.plan.is_frozen
        and not getattr(action, "continued_in_pk", None)
        and access.can_report(division_ids=division_ids, all_divisions=action.all_divisions)
    )
    if can_report and form is None:
        form = ProgressForm(action=action, can_cancel=access.can_cancel)
    context = {
        "access": access,
        "plan": action.plan,
        "action": action,
        "reports": list(action.reports.all()),
        "form": form if can_report else None,
    }
    context |= _outcome_context(action.plan, [action])
    return render(request, "plans/action_detail.html", context)


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get(lambda key: queries.action_with_reports(key, timezone.localdate()), pk)
    access = plan_access(request, action.plan.organisation_id).require_view()
    return _action_page(request, action, access, None)


@require_POST
@login_required
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get(lambda key: queries.action_with_reports(key, timezone.localdate()), pk)
    access = plan_access(request, action.plan.organisation_id)
    access.require_report(
        division_ids=[d.pk for d in action.divisions.all()], all_divisions=action.all_divisions
    )
    form = ProgressForm(request.POST, request.FILES, action=action, can_cancel=access.can_cancel)
    if form.is_valid():
        report = _attempt(
            form,
            request,
            lambda: services.progress_record(
                action=action,
                user=request.user,
                division=access.division,
                **form.cleaned_data,
            ),
        )
        if report is not None:
            messages.success(request, _("The progress report was saved."))
            return redirect(action)
    return _action_page(request, action, access, form)


@require_POST
@login_required
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = _plan_for_change(request, pk)
    approved = _attempt(None, request, lambda: services.plan_approve(plan=plan, user=request.user))
    if approved is not None:
        messages.success(request, _("The plan was approved; its content is now frozen."))
    return redirect(plan)


@login_required
def plan_present(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = _plan_for_change(request, pk)
    form = PresentForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form, request, lambda: services.plan_present(plan=plan, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("The council meeting was recorded."))
            return redirect(plan)
    return render(
        request, "plans/plan_present.html", {"access": access, "plan": plan, "form": form}
    )


@require_POST
@login_required
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _access = _plan_for_change(request, pk)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the approved plan is reopened."))
        return redirect(plan)
    if _attempt(None, request, lambda: services.plan_revise(plan=plan, **form.cleaned_data)):
        messages.success(
            request, _("Revision %(number)s is open for changes.") % {"number": plan.revision}
        )
    return redirect(plan)


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get(queries.plan_header, pk)
    access = plan_access(request, plan.organisation_id).require_view()
    context = {"access": access, "plan": plan, "entries": queries.plan_history(plan)}
    return render(request, "plans/plan_history.html", context)


@login_required
def revision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _get(queries.revision_with_plan, pk)
    access = plan_access(request, revision.plan.organisation_id).require_view()
    actions = queries.snapshot_actions(revision.snapshot)
    context = {"access": access, "plan": revision.plan, "revision": revision, "actions": actions}
    return render(request, "plans/revision_detail.html", context)


@login_required
def my_work(request: HttpRequest, organisation_id: int | None = None) -> HttpResponse:
    access = plan_access(request, organisation_id).require_view()
    table = oit_year = None
    oit_rows: list[readiness_queries.BoardRow] = []
    if access.division_id is not None:
        today = timezone.localdate()
        actions = queries.division_work(access.organisation, access.division_id, today)
        table = DivisionWorkTable(actions)
        oit_year, oit_rows = readiness_queries.division_items(
            access.organisation, access.division_id, today
        )
    context = {
        "access": access,
        "table": table,
        "division": access.division,
        "oit_year": oit_year,
        "oit_rows": oit_rows,
    }
    return render(request, "plans/my_work.html", context)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = _get(queries.evidence_with_organisation, pk)
    plan_access(request, evidence.report.action.plan.organisation_id).require_view()
    kind = evidence.kind
    if not evidence.file or kind is None:
        raise Http404("No file.")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (restored backup, disk error)
        raise Http404("Evidence file missing.") from exc
    response = FileResponse(
        handle,
        as_attachment=not kind.inline,
        filename=evidence.original_name,
        content_type=kind.content_type,
    )
    # An uploaded file shown inline must not run anything with the site's origin.
    response.csp_sandbox = True  # config.security adds "sandbox" to the site's policy
    return response
