"""Data-version tokens of plans, for caches of pages and documents that print them.

`Plan.content_version` is replaced by any save or delete of the plan, its revisions,
actions (and their divisions), progress reports or evidence, and by an edit of one of the
organisation's divisions (their names print on the plan), whichever path made it: services,
admin inlines or a shell. A cache key that carries the token finds its entry only while the
plan is unchanged; nothing expires by time. Writers that use `QuerySet.update` or bulk
methods call `plan_touch` themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from ita.models import Division
from ita.models.frameworks import new_figures_version
from ita.prepared import PreparedValues
from plans.models import Action, Evidence, Plan, PlanRevision, ProgressReport

if TYPE_CHECKING:
    from plans.queries import PlanHeader


def plan_touch(*, plan_ids: Iterable[int]) -> None:
    """These plans changed: nothing cached under their old tokens is found again."""
    ids = [pk for pk in set(plan_ids) if pk is not None]
    if ids:
        Plan.objects.filter(pk__in=ids).update(content_version=new_figures_version())


def _plan_versions(organisation_id: int) -> QuerySet[Plan, tuple[Any, ...]]:
    return (
        Plan.objects.filter(organisation_id=organisation_id)
        .order_by("pk")
        .values_list("pk", "content_version")
    )


_PLAN_VERSIONS = PreparedValues(_plan_versions)


def plans_token(organisation_id: int) -> str:
    """One token for all of an organisation's plans (one query, its SQL compiled once): it
    changes when any plan changes, is added or is deleted."""
    digest = hashlib.sha256()
    for pk, version in _PLAN_VERSIONS(organisation_id=organisation_id):
        digest.update(f"{pk}:{version};".encode())
    return digest.hexdigest()[:24]


def plan_token(plan: Plan | PlanHeader) -> str:
    """The token of one plan as loaded (no query)."""
    return f"{plan.pk}:{plan.content_version}"


# --- Receivers: every path that writes plan rows -------------------------------------------


def _plan_saving(sender: type, instance: Plan, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        instance.content_version = new_figures_version()


def _plan_id(row: Any) -> int | None:
    if isinstance(row, PlanRevision | Action):
        return row.plan_id
    if isinstance(row, ProgressReport):
        return Action.objects.filter(pk=row.action_id).values_list("plan_id", flat=True).first()
    if isinstance(row, Evidence):
        return (
            ProgressReport.objects.filter(pk=row.report_id)
            .values_list("action__plan_id", flat=True)
            .first()
        )
    return None


def _row_changed(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    plan_touch(plan_ids=[_plan_id(instance)])


def _action_divisions_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Action):
        plan_touch(plan_ids=[instance.plan_id])
    else:  # a division's side of the relation
        pk_set = kwargs.get("pk_set") or set()
        plan_touch(plan_ids=Action.objects.filter(pk__in=pk_set).values_list("plan_id", flat=True))


def _division_changed(sender: type, instance: Division, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    plan_touch(
        plan_ids=Plan.objects.filter(organisation_id=instance.organisation_id).values_list(
            "pk", flat=True
        )
    )


def connect() -> None:
    pre_save.connect(_plan_saving, sender=Plan, dispatch_uid="plan-version-plan")
    for model in (PlanRevision, Action, ProgressReport, Evidence):
        uid = f"plan-version-{model._meta.model_name}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _action_divisions_changed,
        sender=Action.divisions.through,
        dispatch_uid="plan-version-action-divisions",
    )
    post_save.connect(_division_changed, sender=Division, dispatch_uid="plan-version-division")
    post_delete.connect(_division_changed, sender=Division, dispatch_uid="plan-version-division-d")
