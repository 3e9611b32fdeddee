"""Cache invalidation for rows edited through more than one path (admin inlines, the
framework import, a shell): any save or delete of a framework's tool, indicator, question,
channel, item or rating band gives the framework a new figures token; an organisation's edit
or an assessment's deletion marks the peer rows of its years out of date. This is no
business rule, only the caches keeping up; results and narratives are invalidated by their
services.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from ita.models import (
    Assessment,
    Channel,
    Framework,
    Indicator,
    Item,
    Organisation,
    Question,
    RatingBand,
    Tool,
)
from ita.models.frameworks import new_figures_version
from ita.peers.services import peers_touch
from ita.services.figures import framework_figures_touch


def _framework_id(row: Any) -> int | None:
    if isinstance(row, Tool | Indicator | RatingBand):
        return row.framework_id
    if isinstance(row, Channel):
        return Tool.objects.filter(pk=row.tool_id).values_list("framework_id", flat=True).first()
    if isinstance(row, Question | Item):
        return (
            Indicator.objects.filter(pk=row.indicator_id)
            .values_list("framework_id", flat=True)
            .first()
        )
    return None


def _framework_row_changed(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return  # loaddata: the framework's own row comes with its token
    framework_id = _framework_id(instance)
    if framework_id is not None:
        framework_figures_touch(framework_id=framework_id)


def _framework_saving(sender: type, instance: Framework, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        instance.figures_version = new_figures_version()


def _organisation_saved(
    sender: type, instance: Organisation, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """An organisation's province or type may have moved it between peer groups."""
    if created or raw:
        return
    years: dict[int, list[int]] = {}
    for pk, framework_id in instance.assessments.values_list("pk", "framework_id"):
        years.setdefault(framework_id, []).append(pk)
    for framework_id, assessment_ids in years.items():
        peers_touch(framework_id=framework_id, assessment_ids=assessment_ids)


def _assessment_deleted(sender: type, instance: Assessment, **kwargs: Any) -> None:
    peers_touch(framework_id=instance.framework_id)


def connect() -> None:
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="peers-organisation")
    post_delete.connect(_assessment_deleted, sender=Assessment, dispatch_uid="peers-assessment")
    pre_save.connect(_framework_saving, sender=Framework, dispatch_uid="figures-framework")
    for model in (Tool, Indicator, Question, Channel, Item, RatingBand):
        uid = f"figures-{model._meta.model_name}"
        post_save.connect(_framework_row_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_framework_row_changed, sender=model, dispatch_uid=f"{uid}-delete")
