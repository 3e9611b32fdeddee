"""Render times of the documents, fresh and stored (issue 17), and a 100-action plan.

    .venv/bin/python bench/bench_documents.py [--runs 3] [--actions 100] [--profile]

Builds a throw-away SQLite database (migrations, the demo organisation with its 2568
results and 2569 plan of 5 actions, and a 2570 plan of --actions actions), then times each
document built directly, and the downloads through the views (a logged-in test client), in
wall time and in CPU (this process and its ended children, SQLite being in-process):
fresh (the stored copies removed before each request) beside stored (served from
``documents.rendered``) in the same run. Targets (issue 17): a stored report or plan PDF in
under 50 ms, a fresh 100-action plan PDF in under 1.5 s. Prints figures; passes or fails
nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRESH_PLAN_TARGET = 1.5
STORED_TARGET = 0.050


def setup(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    # Assigning actions mails the divisions; the benchmark keeps those mails in memory.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    # Templates use {% static %}; the benchmark runs without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(actions: int) -> tuple[object, object]:
    from django.db import transaction

    from ita.demo import demo_load
    from plans import services
    from plans.demo import REFERENCE_ACTIONS, divisions_ensure, load_reference_plan

    with transaction.atomic():
        assessment = demo_load().assessments[0]
        organisation = assessment.organisation
        load_reference_plan(organisation=organisation, assessment=assessment)
        divisions = list(divisions_ensure(organisation).values())
        plan = services.plan_create(
            organisation=organisation, assessment=assessment, fiscal_year=2570
        )
        indicators = {i.number: i for i in assessment.framework.indicators.all()}
        for index in range(actions):
            spec = REFERENCE_ACTIONS[index % len(REFERENCE_ACTIONS)]
            action = services.action_create(
                plan=plan,
                indicator=indicators[spec.indicator],
                finding=spec.finding,
                measure=spec.measure,
                steps=spec.steps,
            )
            services.action_assign(action=action, divisions=divisions[index % len(divisions) :][:2])
    return organisation, plan


def cpu_seconds() -> float:
    """CPU of this process and of its children that have ended (a PDF's pages written by
    a forked child, documents.exports.halves, count as well)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, runs: int, work: Callable[[], object]) -> float:
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        result = work()
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    median = statistics.median(times)
    size = f"{len(result) / 1024:7.1f} KiB" if isinstance(result, bytes) else ""
    print(
        f"{label:<44} median {median:6.3f} s   min {min(times):6.3f} s   "
        f"max {max(times):6.3f} s   CPU median {statistics.median(cpu):6.3f} s   {size}"
    )
    return median


def client_for(organisation: object) -> object:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from ita.models import Membership
    from plans.roles import GROUP_NAMES, Role

    user = get_user_model().objects.create_user(username="bench-docs", password="x-bench-1234")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR]))
    Membership.objects.create(user=user, organisation=organisation)
    client = Client()
    client.force_login(user)
    return client


def downloads(runs: int, organisation: object, plans: dict[str, object]) -> dict[str, float]:
    """Fresh and stored downloads through the views; medians in seconds."""
    import shutil

    from django.urls import reverse

    from documents.rendered import cache_root

    client = client_for(organisation)
    urls = {
        ("report", kind): reverse(f"documents:report-{kind}", args=[organisation.pk, 2568])
        for kind in ("docx", "xlsx", "pdf")
    } | {
        (f"plan, {label}", "pdf"): reverse("documents:plan-pdf", args=[plan.pk])
        for label, plan in plans.items()
    }
    figures = {}
    for (name, kind), address in urls.items():
        if True:

            def fresh(address: str = address) -> bytes:
                shutil.rmtree(cache_root(), ignore_errors=True)
                response = client.get(address)
                assert response.status_code == 200, (address, response.status_code)
                return response.content

            def stored(address: str = address) -> bytes:
                return client.get(address).content

            figures[f"{name} {kind} fresh"] = timed(f"{name} {kind.upper()} fresh", runs, fresh)
            client.get(address)
            figures[f"{name} {kind} stored"] = timed(
                f"{name} {kind.upper()} stored", max(runs, 10), stored
            )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--actions", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="cProfile the big plan PDF")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder) / "bench.sqlite3")
        from django.conf import settings
        from django.utils import translation

        from documents import exports
        from documents.content import DocumentOptions, plan_document, report_data
        from plans.models import Plan

        settings.DOCUMENTS_CACHE_ROOT = Path(folder) / "rendered"
        settings.ALLOWED_HOSTS = ["testserver"]
        organisation, big = load(args.actions)
        small = Plan.objects.get(organisation=organisation, fiscal_year=2569)
        many = f"{args.actions} actions"
        thai = DocumentOptions(thai_digits=True)
        with translation.override("th"):
            # The first render loads fonts and templates; it is reported on its own.
            timed(
                "report PDF, first render (cold)",
                1,
                lambda: exports.report_pdf(report_data(organisation, 2568, thai), thai),
            )
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.runcall(exports.plan_pdf, plan_document(organisation, 2570), thai)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            timed(
                "report data (12 queries)", args.runs, lambda: report_data(organisation, 2568, thai)
            )
            timed(
                "report PDF 2568 (data + render)",
                args.runs,
                lambda: exports.report_pdf(report_data(organisation, 2568, thai), thai),
            )
            timed(
                "plan PDF, 5 actions (data + render)",
                args.runs,
                lambda: exports.plan_pdf(plan_document(organisation, 2569), thai),
            )
            timed(
                f"plan PDF, {many} (data + render)",
                args.runs,
                lambda: exports.plan_pdf(plan_document(organisation, 2570), thai),
            )
            figures = downloads(args.runs, organisation, {"5 actions": small, many: big})

    print()
    fresh_plan = figures[f"plan, {many} pdf fresh"]
    summary = [
        ("stored report PDF", figures["report pdf stored"], STORED_TARGET),
        ("stored plan PDF, 5 actions", figures["plan, 5 actions pdf stored"], STORED_TARGET),
        (f"stored plan PDF, {many}", figures[f"plan, {many} pdf stored"], STORED_TARGET),
        (f"fresh plan PDF, {many}", fresh_plan, FRESH_PLAN_TARGET),
    ]
    for label, value, target in summary:
        verdict = "met" if value < target else "NOT met"
        print(f"{label:<34} {value * 1000:9.1f} ms   target < {target * 1000:.0f} ms: {verdict}")
    print(
        "fresh / stored, report PDF: "
        f"{figures['report pdf fresh'] / figures['report pdf stored']:.0f}x "
        "(the approved 5-action plan's download is its signed copy, fresh or not)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
