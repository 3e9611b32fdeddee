"""Writes of plans: create, draft actions, assign, approve, present, revise, record progress.

Every way in (pages, admin, demo, commands) goes through these functions. An approved plan's
content is frozen: the content writes below refuse it, and `plan_revise` reopens the plan as
a new revision after the approved one was kept in a `PlanRevision`. Follow-up (progress,
status) continues on an approved plan: that is what approval is for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.models import Assessment, Indicator, Item, Organisation, Question
from plans import carryover, notifications, rules
from plans.models import (
    Action,
    ActionStatus,
    Division,
    Evidence,
    Plan,
    PlanRevision,
    PlanStatus,
    ProgressReport,
)
from plans.signals import plan_approved
from plans.storage import shortened_name
from plans.versions import plan_touch

User = AbstractBaseUser

ACTION_CONTENT_FIELDS = frozenset(
    {
        "order",
        "indicator",
        "question",
        "item",
        "finding",
        "measure",
        "steps",
        "start_month",
        "end_month",
    }
)


@dataclass(frozen=True)
class ActionDraft:
    """An accepted proposal: what the supervisor kept or edited of a drafted action."""

    indicator_number: int
    item_code: str
    finding: str
    measure: str
    steps: str


def evidence_max_bytes() -> int:
    return int(getattr(settings, "PLANS_EVIDENCE_MAX_BYTES", rules.MAX_EVIDENCE_BYTES))


def _record_by(instance: Any, user: User | None) -> None:
    """Name the user in the audit history even outside a request (commands, the demo)."""
    if user is not None:
        instance._history_user = user


def _require_draft(plan: Plan) -> None:
    if plan.is_frozen:
        raise ValidationError(
            bilingual(
                gettext_noop(
                    "The %(year)s plan is approved, so its content is frozen. Start a new "
                    "revision to change it."
                ),
                year=plan.fiscal_year,
            )
        )


@transaction.atomic
def plan_create(
    *,
    organisation: Organisation,
    assessment: Assessment,
    fiscal_year: int | None = None,
    user: User | None = None,
) -> Plan:
    """A draft plan for the year after the assessment (plan 2569 from results 2568)."""
    plan = Plan(
        organisation=organisation,
        assessment=assessment,
        fiscal_year=fiscal_year or assessment.framework.fiscal_year + 1,
        created_by=user,
    )
    plan.full_clean()
    _record_by(plan, user)
    plan.save()
    return plan


def _next_order(plan: Plan) -> int:
    return (plan.actions.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def actions_add_from_drafts(*, plan: Plan, drafts: Sequence[ActionDraft]) -> list[Action]:
    """Turn accepted proposals into actions with the plan's default period."""
    _require_draft(plan)
    framework_id = plan.assessment.framework_id
    indicators = {i.number: i for i in Indicator.objects.filter(framework_id=framework_id)}
    codes = [d.item_code for d in drafts if d.item_code]
    items = {
        i.code: i for i in Item.objects.filter(indicator__framework_id=framework_id, code__in=codes)
    }
    start, end = rules.default_period(plan.fiscal_year)
    order = _next_order(plan)
    created = []
    for offset, draft in enumerate(drafts):
        action = Action(
            plan=plan,
            order=order + offset,
            indicator=indicators.get(draft.indicator_number),
            item=items.get(draft.item_code) if draft.item_code else None,
            finding=draft.finding,
            measure=draft.measure,
            steps=draft.steps,
            start_month=start,
            end_month=end,
        )
        if action.indicator is None:
            raise ValidationError(
                bilingual(
                    gettext_noop("There is no indicator %(number)s in %(year)s."),
                    number=draft.indicator_number,
                    year=plan.assessment.framework.fiscal_year,
                )
            )
        action.full_clean()
        action.save()
        created.append(action)
    return created


@dataclass(frozen=True)
class CarryChoice:
    """A ticked action of the previous plan and the target it gets in the new framework."""

    action_id: int
    target: str  # a `carryover.target_key`, e.g. "item:o25" or "indicator:10"


def _carry_targets(plan: Plan, keys: Iterable[str]) -> dict[str, tuple[Indicator, Any, Any]]:
    """Each target key as (indicator, question, item) of the plan's framework; refuses others."""
    framework_id = plan.assessment.framework_id
    indicators = {i.number: i for i in Indicator.objects.filter(framework_id=framework_id)}
    questions = {q.code: q for q in Question.objects.filter(indicator__framework_id=framework_id)}
    items = {i.code: i for i in Item.objects.filter(indicator__framework_id=framework_id)}
    by_id = {i.pk: i for i in indicators.values()}
    resolved: dict[str, tuple[Indicator, Any, Any]] = {}
    for key in keys:
        try:
            kind, value = carryover.parse_target_key(key)
        except ValueError:
            kind, value = "", key
        found: tuple[Indicator, Any, Any] | None = None
        if kind == carryover.INDICATOR and value.isdigit() and int(value) in indicators:
            found = (indicators[int(value)], None, None)
        elif kind == carryover.QUESTION and value in questions:
            found = (by_id[questions[value].indicator_id], questions[value], None)
        elif kind == carryover.ITEM and value in items:
            found = (by_id[items[value].indicator_id], None, items[value])
        if found is None:
            raise ValidationError(
                bilingual(
                    gettext_noop("%(target)s is not a target of the %(year)s framework."),
                    target=value,
                    year=plan.assessment.framework.fiscal_year,
                )
            )
        resolved[key] = found
    return resolved


@transaction.atomic
def actions_carry_over(*, plan: Plan, carries: Sequence[CarryChoice]) -> list[Action]:
    """Continue ticked unfinished actions of the previous year's plan in this one.

    Each becomes a new action, not started, for the plan's usual period, with the same texts
    and divisions and a `continued_from` link; the old action keeps its progress history and
    status. Everything is checked before the first write.
    """
    _require_draft(plan)
    if not carries:
        return []
    ids = [c.action_id for c in carries]
    old = {
        a.pk: a
        for a in Action.objects.filter(
            pk__in=ids,
            plan__organisation_id=plan.organisation_id,
            plan__fiscal_year=plan.fiscal_year - 1,
        )
        .annotate(carried=Exists(Action.objects.filter(continued_from=OuterRef("pk"))))
        .prefetch_related("divisions")
    }
    refused = [
        pk
        for pk in ids
        if pk not in old or old[pk].status in ActionStatus.CLOSED or old[pk].carried
    ]
    if refused or len(set(ids)) != len(ids):
        raise ValidationError(
            bilingual(
                gettext_noop(
                    "Only unfinished actions of the %(year)s plan that were not carried over "
                    "yet can be carried over."
                ),
                year=plan.fiscal_year - 1,
            )
        )
    targets = _carry_targets(plan, {c.target for c in carries})
    start, end = rules.default_period(plan.fiscal_year)
    order = _next_order(plan)
    created = []
    for offset, carry in enumerate(carries):
        previous = old[carry.action_id]
        indicator, question, item = targets[carry.target]
        action = Action(
            plan=plan,
            order=order + offset,
            indicator=indicator,
            question=question,
            item=item,
            finding=previous.finding,
            measure=previous.measure,
            steps=previous.steps,
            start_month=start,
            end_month=end,
            continued_from=previous,
        )
        action.full_clean()
        action.save()
        action_assign(
            action=action,
            divisions=list(previous.divisions.all()),
            all_divisions=previous.all_divisions,
        )
        created.append(action)
    return created


@transaction.atomic
def actions_add(
    *, plan: Plan, drafts: Sequence[ActionDraft], carries: Sequence[CarryChoice] = ()
) -> list[Action]:
    """The draft page's one write: the accepted proposals and the carried-over actions."""
    return actions_add_from_drafts(plan=plan, drafts=drafts) + actions_carry_over(
        plan=plan, carries=carries
    )


@transaction.atomic
def action_create(*, plan: Plan, **content: Any) -> Action:
    """A hand-written action; period defaults to the plan's usual half year."""
    _require_draft(plan)
    unknown = set(content) - ACTION_CONTENT_FIELDS
    if unknown:
        raise TypeError(f"Not action content: {sorted(unknown)}")
    start, end = rules.default_period(plan.fiscal_year)
    content.setdefault("start_month", start)
    content.setdefault("end_month", end)
    if not content.get("order"):
        content["order"] = _next_order(plan)
    action = Action(plan=plan, **content)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, action: Action, **content: Any) -> Action:
    _require_draft(action.plan)
    unknown = set(content) - ACTION_CONTENT_FIELDS
    if unknown:
        raise TypeError(f"Not action content: {sorted(unknown)}")
    for name, value in content.items():
        setattr(action, name, value)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_delete(*, action: Action) -> Plan:
    _require_draft(action.plan)
    action.delete()
    return action.plan


@transaction.atomic
def action_assign(
    *, action: Action, divisions: Iterable[Division], all_divisions: bool = False
) -> Action:
    """Make these divisions responsible, and mail the ones that were not before."""
    plan = action.plan
    _require_draft(plan)
    wanted = {d.pk: d for d in divisions}
    foreign = [d.name for d in wanted.values() if d.organisation_id != plan.organisation_id]
    if foreign:
        raise ValidationError(
            bilingual(
                gettext_noop("%(divisions)s is not a division of %(organisation)s."),
                divisions=", ".join(foreign),
                organisation=plan.organisation.name,
            )
        )
    active = list(Division.objects.filter(organisation_id=plan.organisation_id, is_active=True))
    before = set(action.divisions.values_list("pk", flat=True))
    responsible_before = {d.pk for d in active} if action.all_divisions else before
    responsible_after = {d.pk for d in active} if all_divisions else set(wanted)

    if action.all_divisions != all_divisions:
        action.all_divisions = all_divisions
        action.full_clean()
        action.save()
    if set(wanted) != before:
        action.divisions.set(list(wanted.values()))

    newly = [d for d in active if d.pk in responsible_after - responsible_before]
    # Addresses as of now (the members at assignment). The notices are saved with the
    # assignment and sent only after it commits: a mail failure is logged and retried by
    # the daily run, it never undoes or errors the assignment.
    notices = notifications.assignment_notices_create(
        action=action, recipients=notifications.division_addresses(newly)
    )
    if notices:
        transaction.on_commit(lambda: notifications.notices_deliver(notices), robust=True)
    return action


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's content as plain JSON, kept with each approved revision."""
    actions = (
        plan.actions.select_related("indicator", "item", "question")
        .prefetch_related("divisions")
        .order_by("order", "indicator__number", "pk")
    )
    return {
        "fiscal_year": plan.fiscal_year,
        "assessment_year": plan.assessment.framework.fiscal_year,
        "revision": plan.revision,
        "actions": [
            {
                "indicator": a.indicator.number,
                "indicator_name": a.indicator.name_th,
                "question": a.question.code if a.question else "",
                "item": a.item.code if a.item else "",
                "finding": a.finding,
                "measure": a.measure,
                "steps": a.steps,
                "start_month": a.start_month.isoformat(),
                "end_month": a.end_month.isoformat(),
                "all_divisions": a.all_divisions,
                "divisions": [d.name for d in a.divisions.all()],
            }
            for a in actions
        ],
    }


@transaction.atomic
def plan_approve(*, plan: Plan, user: User | None, now: datetime | None = None) -> Plan:
    """Approve the draft: freeze its content and keep that content as a revision."""
    _require_draft(plan)
    snapshot = plan_snapshot(plan)
    if not snapshot["actions"]:
        raise ValidationError(
            bilingual(gettext_noop("A plan needs at least one action before approval."))
        )
    unassigned = [
        str(a["indicator"])
        for a in snapshot["actions"]
        if not (a["divisions"] or a["all_divisions"])
    ]
    if unassigned:
        raise ValidationError(
            bilingual(
                gettext_noop(
                    "Every action needs a responsible division before approval "
                    "(indicators %(numbers)s have none)."
                ),
                numbers=", ".join(unassigned),
            )
        )
    plan.status = PlanStatus.APPROVED
    plan.approved_by = user
    plan.approved_at = now or timezone.now()
    plan.full_clean()
    _record_by(plan, user)
    plan.save()
    PlanRevision.objects.create(
        plan=plan,
        number=plan.revision,
        reason=plan.revision_reason,
        snapshot=snapshot,
        approved_by=user,
        approved_at=plan.approved_at,
    )
    # Robust: what listens (the stored PDF) must never undo or fail an approval.
    transaction.on_commit(
        lambda: plan_approved.send(sender=Plan, plan=plan, user=user), robust=True
    )
    return plan


@transaction.atomic
def plan_present(*, plan: Plan, council_date: date, council_note: str = "") -> Plan:
    """Record the council meeting the approved plan was presented to."""
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError(
            bilingual(gettext_noop("Only an approved plan can be presented to the council."))
        )
    approved_on = timezone.localdate(plan.approved_at) if plan.approved_at else None
    if approved_on and council_date < approved_on:
        raise ValidationError(
            bilingual(gettext_noop("The council meeting cannot be before the approval date."))
        )
    plan.status = PlanStatus.PRESENTED
    plan.council_date = council_date
    plan.council_note = council_note
    plan.full_clean()
    plan.save()
    plan.revisions.filter(number=plan.revision).update(council_date=council_date)
    plan_touch(plan_ids=[plan.pk])  # the revision row changed by update(): no signal
    return plan


@transaction.atomic
def plan_revise(*, plan: Plan, reason: str) -> Plan:
    """Reopen an approved plan as the next revision; the approved one stays in its snapshot."""
    if not plan.is_frozen:
        raise ValidationError(
            bilingual(gettext_noop("The plan is still a draft: edit it directly."))
        )
    if not reason.strip():
        raise ValidationError(bilingual(gettext_noop("Say why the approved plan is reopened.")))
    plan.status = PlanStatus.DRAFT
    plan.revision += 1
    plan.revision_reason = reason.strip()
    plan.approved_by = None
    plan.approved_at = None
    plan.council_date = None
    plan.council_note = ""
    plan.full_clean()
    plan.save()
    return plan


def evidence_errors(files: Sequence[UploadedFile], *, max_bytes: int | None = None) -> list[str]:
    """Why each refused file is refused; reads only the first bytes of each."""
    limit = max_bytes or evidence_max_bytes()
    errors = []
    for upload in files:
        upload.seek(0)
        head = upload.read(rules.SIGNATURE_BYTES)
        upload.seek(0)
        message = rules.evidence_file_error(
            name=upload.name or "", size=upload.size or 0, head=head, max_bytes=limit
        )
        if message:
            errors.append(message)
    return errors


def link_errors(links: Sequence[str]) -> list[str]:
    validate = URLValidator(schemes=["http", "https"])
    errors = []
    for link in links:
        try:
            validate(link)
        except ValidationError:
            errors.append(
                bilingual(gettext_noop("%(link)s is not a web address (http or https)."), link=link)
            )
    return errors


@transaction.atomic
def progress_record(
    *,
    action: Action,
    user: User | None,
    division: Division | None,
    reported_on: date,
    text: str,
    percent: int,
    status: str,
    files: Sequence[UploadedFile] = (),
    links: Sequence[str] = (),
) -> ProgressReport:
    """Record what was done, with evidence, and move the action's status.

    Every file and link is checked before the first write, so a refused upload leaves
    nothing behind: no report, no evidence row, no file on disk.
    """
    if not action.plan.is_frozen:
        raise ValidationError(
            bilingual(gettext_noop("Progress is recorded once the plan is approved."))
        )
    if status not in ActionStatus.values:
        raise ValueError(f"Unknown action status {status!r}.")
    if Action.objects.filter(continued_from=action).exists():
        raise ValidationError(
            bilingual(
                gettext_noop("This action continues in a later plan: record new progress there.")
            )
        )
    errors = evidence_errors(files) + link_errors(links)
    if errors:
        raise ValidationError(errors)

    report = ProgressReport(
        action=action,
        reported_on=reported_on,
        text=text,
        percent=percent,
        division=division,
        created_by=user,
    )
    report.full_clean()
    name_length = Evidence._meta.get_field("original_name").max_length
    evidence = [
        Evidence(report=report, file=upload, size=upload.size,
                 original_name=shortened_name(upload.name or "", name_length))
        for upload in files
    ] + [Evidence(report=report, link=link) for link in links]  # fmt: skip
    for item in evidence:
        item.full_clean(exclude=["report"])

    _record_by(report, user)
    report.save()
    try:
        for item in evidence:
            item.report = report
            _record_by(item, user)
            item.save()
        if status != action.status:
            action.status = status
            _record_by(action, user)
            action.save(update_fields=["status", "updated_at"])
    except BaseException:
        # The rows roll back with the transaction; files on disk would not. A file is on disk
        # once its field is committed, which happens before the row's INSERT: a failing
        # INSERT has written its file too.
        _delete_stored_files(evidence)
        raise
    return report


def _delete_stored_files(evidence: Sequence[Evidence]) -> None:
    for item in evidence:
        if item.file and item.file._committed:
            item.file.storage.delete(item.file.name)
