"""Documents rendered by a background task: plans of many actions, whose PDF takes seconds.

`plan_document_render` stores the plan document under its current key
(``documents.rendered``); the download view enqueues it and sends the browser to a progress
page that refreshes until the stored file is there. With the default ImmediateBackend the
task runs inside the request that enqueues it (zero set-up); with django-tasks-db a
`db_worker` process runs it (docker-compose's worker service) and the web worker is free at
once.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import translation
from django_tasks import task

from documents import versions
from documents.content import DocumentOptions, plan_document
from documents.exports.formats import PLAN_FORMATS
from documents.rendered import rendered
from plans.models import Action, ActionStatus


def plan_action_count(plan_id: int) -> int:
    """The actions the plan document prints (cancelled ones are left out), one query."""
    return Action.objects.filter(plan_id=plan_id).filter(~Q(status=ActionStatus.CANCELLED)).count()


@task()
def plan_document_render(plan_id: int, kind: str, digits: str, language: str) -> str:
    """Render and store the plan document in `kind` as it is now; return its stored name.

    Nothing is stored when the plan is gone or the render fails (the task then fails)."""
    options = DocumentOptions.from_query(digits)
    with translation.override(language):
        plan = versions.plan_row(plan_id)
        if plan is None:
            raise LookupError(f"No plan {plan_id}.")
        key = versions.plan_key(plan, kind, options)
        _content_type, build = PLAN_FORMATS[kind]

        def render() -> bytes:
            from ita.models import Organisation

            organisation = Organisation.objects.get(pk=plan["organisation_id"])
            document = plan_document(organisation, plan["fiscal_year"])
            if document is None:
                raise LookupError(f"No plan {plan_id}.")
            return build(document, options)

        rendered(key, render)
    return key.filename
