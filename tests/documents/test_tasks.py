"""Large plans rendered by a background task: enqueue -> progress page -> stored file, on the
immediate backend (the default: the task runs in the request) and on the database backend
(django-tasks-db: the request only enqueues; a worker pass renders)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks.signals import task_enqueued

from documents import rendered, tasks, views
from tests.documents.conftest import plan_with_actions

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def large_plan(reference, settings):
    settings.DOCUMENTS_BACKGROUND_ACTIONS = 3  # "large" from three actions, to keep tests quick
    return plan_with_actions(reference.organisation, 3, fiscal_year=2570)


@contextlib.contextmanager
def enqueued_tasks() -> Iterator[list]:
    """The task results enqueued inside the block (the enqueue signal's)."""
    results: list = []

    def record(sender: object, task_result: object, **kwargs: object) -> None:
        results.append(task_result)

    task_enqueued.connect(record)
    try:
        yield results
    finally:
        task_enqueued.disconnect(record)


def stored_count(settings) -> int:
    root = settings.DOCUMENTS_CACHE_ROOT
    return sum(1 for p in root.rglob("*.xlsx")) if root.exists() else 0


def test_immediate_backend_renders_in_the_request(client, large_plan, staff_user, settings):
    client.force_login(staff_user)

    with enqueued_tasks() as enqueued:
        response = client.get(reverse("documents:plan-xlsx", args=[large_plan.pk]))

    assert [r.task.func for r in enqueued] == [tasks.plan_document_render.func]
    assert enqueued[0].status == TaskResultStatus.SUCCESSFUL
    assert response.status_code == 200
    assert response.content.startswith(b"PK\x03\x04")
    assert stored_count(settings) == 1


def test_small_plan_is_rendered_without_a_task(client, reference_plan, staff_user):
    client.force_login(staff_user)

    with enqueued_tasks() as enqueued:
        response = client.get(reverse("documents:plan-xlsx", args=[reference_plan.pk]))

    assert enqueued == []
    assert response.content.startswith(b"PK\x03\x04")


# The worker closes its database connections after a task, as in production: these
# tests commit for real (a test transaction would be closed under them), and the database's
# shipped rows (frameworks, groups) are put back after them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_backend_enqueue_progress_page_then_file(client, large_plan, staff_user, settings):
    settings.TASKS = DATABASE_TASKS
    client.force_login(staff_user)
    download = reverse("documents:plan-xlsx", args=[large_plan.pk])

    queued = client.get(download)
    waiting = client.get(queued["Location"])
    assert stored_count(settings) == 0  # the request only enqueued
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    ready = client.get(queued["Location"])
    served = client.get(ready["Location"])

    assert queued.status_code == 302
    wait_url = reverse("documents:plan-wait", args=[large_plan.pk, "xlsx"])
    assert queued["Location"].startswith(wait_url)
    assert waiting.status_code == 200
    page = waiting.content.decode()
    assert "กำลังจัดทำเอกสาร..." in page
    assert 'http-equiv="refresh"' in page
    assert ready.status_code == 302
    assert ready["Location"].startswith(download)
    assert served.status_code == 200
    assert served.content.startswith(b"PK\x03\x04")
    assert stored_count(settings) == 1


# The worker closes its database connections after a task, as in production: these
# tests commit for real (a test transaction would be closed under them), and the database's
# shipped rows (frameworks, groups) are put back after them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_backend_failed_render_stores_nothing_and_says_so(
    client, large_plan, staff_user, settings
):
    settings.TASKS = DATABASE_TASKS
    client.force_login(staff_user)
    content_type, _build = views.PLAN_FORMATS["xlsx"]

    def broken(*args: object) -> bytes:
        raise RuntimeError("render failed")

    queued = client.get(reverse("documents:plan-xlsx", args=[large_plan.pk]))
    with mock.patch.dict(views.PLAN_FORMATS, {"xlsx": (content_type, broken)}):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    task_id = queued["Location"].split("task=")[1]
    page = client.get(queued["Location"]).content.decode()

    assert tasks.plan_document_render.get_result(task_id).status == TaskResultStatus.FAILED
    assert "จัดทำเอกสารไม่สำเร็จ" in page
    assert 'http-equiv="refresh"' not in page
    assert stored_count(settings) == 0
    assert not any(
        p.name.startswith(rendered.TEMP_PREFIX) for p in settings.DOCUMENTS_CACHE_ROOT.rglob("*")
    )


def test_progress_page_is_refused_to_another_organisation(client, large_plan, outsider):
    client.force_login(outsider)

    response = client.get(reverse("documents:plan-wait", args=[large_plan.pk, "pdf"]))

    assert response.status_code == 404
