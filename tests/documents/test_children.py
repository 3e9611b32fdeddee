"""Documents are built in forked children (documents.exports.children): the worker gets the
bytes, never the build's working set; where a child cannot be used the worker builds."""

from __future__ import annotations

import logging
import os
import re

import pytest
from django.urls import reverse

from documents.exports import children
from plans.models import Plan
from tests.documents.conftest import another_thread_rendering

CHILD_LOG = "documents.exports.children"


def pid_bytes() -> bytes:
    return str(os.getpid()).encode()


@pytest.fixture
def forks(monkeypatch):
    """The number of forks made by this process."""
    calls = {"fork": 0}
    fork = os.fork

    def counted() -> int:
        calls["fork"] += 1
        return fork()

    monkeypatch.setattr(children.os, "fork", counted)
    return calls


def test_a_build_apart_runs_in_another_process_and_returns_its_bytes(forks, caplog):
    with caplog.at_level(logging.INFO, logger=CHILD_LOG):
        built = children.in_child(pid_bytes)

    assert int(built) != os.getpid()
    assert forks["fork"] == 1
    # The child's own peak, as os.wait4 reports it (at least the worker it was forked from).
    (record,) = caplog.records
    assert record.levelno == logging.INFO
    peak = float(
        re.fullmatch(r"Built pid_bytes in a child: peak ([0-9.]+) MiB\.", record.getMessage())[1]
    )
    assert peak > 10
    assert children._rendering == 0


def test_the_decorator_passes_arguments_to_the_child_and_imports_here_first(forks):
    import sys

    sys.modules.pop("colorsys", None)

    @children.built_apart("colorsys")
    def joined(*parts: bytes, sep: bytes) -> bytes:
        return sep.join(parts)

    assert joined(b"a", b"b", sep=b"-") == b"a-b"
    assert forks["fork"] == 1
    assert "colorsys" in sys.modules  # imported by the worker, inherited by each child


def test_switched_off_the_build_runs_in_the_worker(settings, forks):
    settings.DOCUMENTS_BUILD_APART = False

    assert int(children.in_child(pid_bytes)) == os.getpid()
    assert forks["fork"] == 0


def test_while_another_thread_renders_the_build_runs_here(forks):
    with another_thread_rendering():
        built = children.in_child(pid_bytes)

    assert int(built) == os.getpid()
    assert forks["fork"] == 0
    assert children._rendering == 0


def test_a_failing_builder_raises_its_own_error_in_the_worker(forks, caplog):
    builds = []

    def broken() -> bytes:
        builds.append(os.getpid())  # the child's append is lost with the child
        raise ValueError("no such column")

    with caplog.at_level(logging.WARNING, logger=CHILD_LOG), pytest.raises(ValueError):
        children.in_child(broken)

    assert forks["fork"] == 1
    assert builds == [os.getpid()]  # built once more here, to raise here
    assert "ValueError: no such column" in caplog.text


def test_a_child_that_dies_is_replaced_by_a_build_here(forks, caplog):
    def dies() -> bytes:
        if os.getpid() != parent:
            os._exit(3)
        return b"built here"

    parent = os.getpid()
    with caplog.at_level(logging.WARNING, logger=CHILD_LOG):
        assert children.in_child(dies) == b"built here"
    assert "no answer from the child: EOFError" in caplog.text


def test_a_fork_that_fails_leaves_the_build_to_the_worker(monkeypatch, caplog):
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(children.os, "fork", no_fork)
    with caplog.at_level(logging.WARNING, logger=CHILD_LOG):
        assert int(children.in_child(pid_bytes)) == os.getpid()
    assert "no child" in caplog.text
    assert children._rendering == 0


@pytest.mark.django_db
def test_the_database_is_refused_in_the_child(forks, caplog):
    from ita.models import Organisation

    def counts() -> bytes:
        return str(Organisation.objects.count()).encode()

    with caplog.at_level(logging.WARNING, logger=CHILD_LOG):
        assert children.in_child(counts) == b"0"  # the worker's answer

    assert forks["fork"] == 1
    assert "DatabaseInChild" in caplog.text


@pytest.mark.django_db
def test_every_document_download_is_built_in_a_child(
    client, reference_plan, supervisor, forks, caplog
):
    """Every format of every download registry: a format added later is checked too."""
    from datetime import date

    from documents.exports.formats import PLAN_FORMATS, REPORT_FORMATS
    from documents.views import CHECKLIST_FORMATS, FOLLOWUP_FORMATS
    from plans.readiness import services as readiness

    organisation = reference_plan.organisation
    year = reference_plan.assessment.framework.fiscal_year
    readiness.readiness_open(
        organisation=organisation, fiscal_year=2569, default_due_date=date(2026, 3, 1), user=None
    )
    urls = [reverse(f"documents:report-{k}", args=[organisation.pk, year]) for k in REPORT_FORMATS]
    urls += [reverse(f"documents:plan-{k}", args=[reference_plan.pk]) for k in PLAN_FORMATS]
    urls += [reverse(f"documents:followup-{k}", args=[reference_plan.pk]) for k in FOLLOWUP_FORMATS]
    urls += [
        reverse(f"documents:checklist-{k}", args=[organisation.pk, 2569]) for k in CHECKLIST_FORMATS
    ]
    client.force_login(supervisor)

    with caplog.at_level(logging.WARNING, logger=CHILD_LOG):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content[:4] in (b"%PDF", b"PK\x03\x04"), url

    assert len(urls) == 11
    assert not caplog.records  # no child failed, none was replaced by a build here
    assert forks["fork"] == len(urls)
    assert Plan.objects.filter(pk=reference_plan.pk).exists()  # the worker's connection still works
