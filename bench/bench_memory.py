"""Worker memory under gunicorn after a round of every document (issue 17 item 5).

    .venv/bin/python bench/bench_memory.py [--workers 2] [--rounds 2] [--actions 100]
        [--configurations release,apart]

Builds a throw-away SQLite database (load_demo, plus a plan of --actions actions) and
starts gunicorn (sync workers, DEBUG off) once per configuration in the same run: ``bare``
(nothing freed after a render, built in the worker), ``release``
(``documents.memory.release`` after each build in the worker: the reference, main before
documents were built apart), ``apart`` (the default: built in a forked child,
``documents.exports.children``) and ``apart-only`` (built apart, nothing freed after). The
default run is release then apart. For each it logs the demo user in, reads every
worker's VmRSS and VmHWM from /proc/<pid>/status after start, after simple pages, after
--rounds rounds of every document FRESH (the rendered copies removed before each round) and
after the same rounds STORED (served from ``documents.rendered``), and the peak of each
build child as the worker logs it (os.wait4), so the build's own peak is printed too.
Prints the paired figures against the target: worker peak RSS < 150 MiB. Passes or fails
nothing.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import tempfile
import time
from pathlib import Path

from common import (
    free_port,
    gunicorn,
    login_cookie,
    machine,
    prepare,
    scratch_env,
    shell_json,
)

TARGET_MIB = 150

FIND_URLS = """
import json
from django.urls import reverse
from ita.models import Organisation
from plans.models import Plan
from plans.readiness.models import ReadinessYear
plan = Plan.objects.order_by("pk").first()
org = plan.organisation
year = plan.assessment.framework.fiscal_year
oit = ReadinessYear.objects.order_by("-fiscal_year").first()
pages = ["/", reverse("documents:report", args=[org.pk, year]),
         reverse("documents:plan", args=[plan.pk])]
documents = [reverse(f"documents:report-{k}", args=[org.pk, year]) for k in ("pdf", "docx", "xlsx")]
documents += [reverse(f"documents:plan-{k}", args=[plan.pk]) for k in ("pdf", "docx", "xlsx")]
documents += [reverse("documents:followup-pdf", args=[plan.pk])]
if oit is not None:
    documents += [reverse("documents:checklist-pdf", args=[oit.organisation_id, oit.fiscal_year])]
print(json.dumps({"pages": pages, "documents": documents}))
"""

# A plan of {actions} actions beside the demo's (the next fiscal year of the demo plan's
# organisation, the reference actions over and over, as bench_documents.py builds it): its
# PDF is laid out by two processes (documents.exports.halves) and is the largest build.
BIG_PLAN = """
import json
from django.db import transaction
from django.urls import reverse
from plans import services
from plans.demo import REFERENCE_ACTIONS, divisions_ensure
from plans.models import Plan
demo = Plan.objects.order_by("pk").first()
organisation, assessment = demo.organisation, demo.assessment
year = max(Plan.objects.filter(organisation=organisation).values_list("fiscal_year", flat=True)) + 1
with transaction.atomic():
    divisions = list(divisions_ensure(organisation).values())
    plan = services.plan_create(organisation=organisation, assessment=assessment, fiscal_year=year)
    indicators = {{i.number: i for i in assessment.framework.indicators.all()}}
    for index in range({actions}):
        spec = REFERENCE_ACTIONS[index % len(REFERENCE_ACTIONS)]
        action = services.action_create(
            plan=plan, indicator=indicators[spec.indicator], finding=spec.finding,
            measure=spec.measure, steps=spec.steps,
        )
        services.action_assign(action=action, divisions=divisions[index % len(divisions):][:2])
kinds = ("pdf", "docx", "xlsx")
print(json.dumps([reverse(f"documents:plan-{{k}}", args=[plan.pk]) for k in kinds]))
"""


def memory_of(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def get(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


CONFIGURATIONS = {  # name: (release after a build, build in a child)
    "bare": (False, False),
    "release": (True, False),
    "apart": (True, True),
    "apart-only": (False, True),
}


BUILT = re.compile(r"Built (\S+) in a child: peak ([0-9.]+) MiB")


def child_peaks(log: Path) -> list[float]:
    """The peaks the workers logged for their build children (os.wait4's ru_maxrss)."""
    return [float(found[2]) for found in BUILT.finditer(log.read_text(errors="replace"))]


def run(env: dict[str, str], configuration: str, urls: dict, rounds: int, workers: int):
    release, apart = CONFIGURATIONS[configuration]
    env = {
        **env,
        "DOCUMENTS_RELEASE_MEMORY": "1" if release else "0",
        "DOCUMENTS_BUILD_APART": "1" if apart else "0",
        "LOG_LEVEL": "INFO",  # documents.exports.children logs each build child's peak
    }
    cache = Path(env["DOCUMENTS_CACHE_ROOT"])
    shutil.rmtree(cache, ignore_errors=True)
    port = free_port()
    log = cache.parent / f"gunicorn-{configuration}.log"
    log_file = log.open("w")
    server = gunicorn(env, port, workers, "--timeout", "300", stderr=log_file)
    readings = []
    try:
        for _ in range(100):  # the master forks its workers one by one
            pids = workers_of(server.pid)
            if len(pids) == workers:
                break
            time.sleep(0.1)

        def reading(stage: str) -> None:
            readings.append((stage, [memory_of(pid) for pid in pids]))

        reading("after start")
        session, _ = login_cookie(port)
        cookie = f"sessionid={session}"
        for _ in range(rounds * workers):
            for path in urls["pages"]:
                assert get(port, path, cookie) in (200, 302), path
        reading("after simple pages")
        for _ in range(rounds):
            # Once a round, not before each request: each document has its own key, so
            # every request of a round still renders, and the last round leaves all of
            # them stored for the STORED phase (removed before each request, only the
            # last document was: that phase's first round rendered the others again).
            shutil.rmtree(cache, ignore_errors=True)
            for path in urls["documents"]:
                status = get(port, path, cookie)
                assert status == 200, (path, status)
        reading(f"after {rounds} rounds of documents, FRESH")
        stored = sum(1 for found in cache.rglob("*") if found.is_file())
        print(f"  {stored} rendered copies stored before the STORED phase")
        for _ in range(rounds):
            for path in urls["documents"]:
                assert get(port, path, cookie) == 200, path
        reading(f"after {rounds} rounds of documents, STORED")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_file.close()
    return readings, child_peaks(log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--actions", type=int, default=100, help="a plan of this many actions too (0: none)"
    )
    parser.add_argument(
        "--configurations",
        default="release,apart",
        help="comma-separated, in order, of: " + ", ".join(CONFIGURATIONS),
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = scratch_env(
        scratch,
        DOCUMENTS_CACHE_ROOT=str(scratch / "rendered"),
        DOCUMENTS_STORED_ROOT=str(scratch / "stored"),
    )
    try:
        prepare(env)
        urls = shell_json(env, FIND_URLS)
        if args.actions:
            urls["documents"] += shell_json(env, BIG_PLAN.format(actions=args.actions))
        print(f"Machine: {machine()}; gunicorn sync workers {args.workers}, rounds {args.rounds}")
        print("documents: " + ", ".join(urls["documents"]))
        results = {
            name: run(env, name, urls, args.rounds, args.workers)
            for name in args.configurations.split(",")
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print(f"{'stage':<44} {'config':<8} {'RSS per worker (MiB)':<24} peak (VmHWM)")
    stages = [stage for stage, _ in next(iter(results.values()))[0]]
    for index, stage in enumerate(stages):
        for name, (readings, _children) in results.items():
            figures = readings[index][1]
            rss = " ".join(f"{r:6.1f}" for r, _ in figures)
            hwm = " ".join(f"{h:6.1f}" for _, h in figures)
            print(f"{stage:<44} {name:<8} {rss:<24} {hwm}")
    print()
    for name, (readings, built) in results.items():
        peak = max(h for _, figures in readings for _, h in figures)
        final = max(r for r, _ in readings[-1][1])
        verdict = "met" if peak < TARGET_MIB else "NOT met"
        print(
            f"{name:<8}: worker peak {peak:6.1f} MiB, RSS at end {final:6.1f} MiB, "
            f"largest build child {max(built, default=0):6.1f} MiB ({len(built)} children)   "
            f"target worker peak < {TARGET_MIB} MiB: {verdict}"
        )


if __name__ == "__main__":
    main()
