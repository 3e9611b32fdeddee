"""Render times of the documents: the analysis report and a 30-action plan.

    .venv/bin/python bench/bench_documents.py [--runs 5]

Builds a throw-away SQLite database (migrations, the demo organisation with its 2568
results and 2569 plan, and a 2570 plan of 30 actions), then times each document. Issue 5
asks for the 30-action plan PDF in under 2 s; the exit status is 1 when it is slower.
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
PLAN_PDF_LIMIT = 2.0
PLAN_ACTIONS = 30


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


def load() -> tuple[object, object]:
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
        for index in range(PLAN_ACTIONS):
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


def timed(label: str, runs: int, work: Callable[[], object]) -> float:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    size = f"{len(result) / 1024:7.1f} KiB" if isinstance(result, bytes) else ""
    print(
        f"{label:<44} median {median:6.3f} s   min {min(times):6.3f} s   "
        f"max {max(times):6.3f} s   {size}"
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder) / "bench.sqlite3")
        from django.utils import translation

        from documents import exports
        from documents.content import DocumentOptions, plan_document, report_data

        organisation, _plan = load()
        thai = DocumentOptions(thai_digits=True)
        with translation.override("th"):
            # The first render loads fonts and templates; it is reported on its own.
            timed(
                "report PDF, first render (cold)",
                1,
                lambda: exports.report_pdf(report_data(organisation, 2568, thai), thai),
            )
            timed(
                "report data (12 queries)", args.runs, lambda: report_data(organisation, 2568, thai)
            )
            timed(
                "report PDF 2568 (data + render)",
                args.runs,
                lambda: exports.report_pdf(report_data(organisation, 2568, thai), thai),
            )
            timed(
                "report DOCX 2568",
                args.runs,
                lambda: exports.report_docx(report_data(organisation, 2568, thai), thai),
            )
            timed(
                "report XLSX 2568",
                args.runs,
                lambda: exports.report_xlsx(report_data(organisation, 2568, thai)),
            )
            timed(
                "plan PDF, 5 actions (reference 2569)",
                args.runs,
                lambda: exports.plan_pdf(plan_document(organisation, 2569), thai),
            )
            plan_pdf = timed(
                f"plan PDF, {PLAN_ACTIONS} actions (data + render)",
                args.runs,
                lambda: exports.plan_pdf(plan_document(organisation, 2570), thai),
            )
            timed(
                f"plan DOCX, {PLAN_ACTIONS} actions",
                args.runs,
                lambda: exports.plan_docx(plan_document(organisation, 2570), thai),
            )
            timed(
                f"plan XLSX, {PLAN_ACTIONS} actions",
                args.runs,
                lambda: exports.plan_xlsx(plan_document(organisation, 2570)),
            )

    verdict = "OK" if plan_pdf < PLAN_PDF_LIMIT else "TOO SLOW"
    print(
        f"plan PDF of {PLAN_ACTIONS} actions: {plan_pdf:.3f} s "
        f"(limit {PLAN_PDF_LIMIT} s): {verdict}"
    )
    return 0 if plan_pdf < PLAN_PDF_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
