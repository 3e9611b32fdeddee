"""Worker memory under gunicorn after a round of every document (issue 17 item 5).

    .venv/bin/python bench/bench_memory.py [--workers 2] [--rounds 2] [--only on|off]

Builds a throw-away SQLite database (load_demo), starts gunicorn (sync workers, DEBUG off)
twice in the same run: once with ``DOCUMENTS_RELEASE_MEMORY=0`` (the reference: nothing
freed after a render) and once with it on (``documents.memory.release`` after each built
document). For each it logs the demo user in, reads every worker's VmRSS and VmHWM from
/proc/<pid>/status after start, after simple pages, after --rounds rounds of every document
FRESH (the rendered copies removed before each round) and after the same rounds STORED
(served from ``documents.rendered``). Prints the paired figures against the target: worker
peak RSS < 150 MiB. Passes or fails nothing.
"""

from __future__ import annotations

import argparse
import http.client
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


def run(env: dict[str, str], release: bool, urls: dict, rounds: int, workers: int) -> list:
    env = {**env, "DOCUMENTS_RELEASE_MEMORY": "1" if release else "0"}
    cache = Path(env["DOCUMENTS_CACHE_ROOT"])
    shutil.rmtree(cache, ignore_errors=True)
    port = free_port()
    server = gunicorn(env, port, workers, "--timeout", "300")
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
    return readings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", choices=("on", "off"), help="run one configuration only")
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
        print(f"Machine: {machine()}; gunicorn sync workers {args.workers}, rounds {args.rounds}")
        print("documents: " + ", ".join(urls["documents"]))
        configurations = [("off", False), ("on", True)]
        results = {
            name: run(env, release, urls, args.rounds, args.workers)
            for name, release in configurations
            if args.only in (None, name)
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print(f"{'stage':<44} {'release':<8} {'RSS per worker (MiB)':<24} peak (VmHWM)")
    stages = [stage for stage, _ in next(iter(results.values()))]
    for index, stage in enumerate(stages):
        for name, readings in results.items():
            figures = readings[index][1]
            rss = " ".join(f"{r:6.1f}" for r, _ in figures)
            hwm = " ".join(f"{h:6.1f}" for _, h in figures)
            print(f"{stage:<44} {name:<8} {rss:<24} {hwm}")
    print()
    for name, readings in results.items():
        peak = max(h for _, figures in readings for _, h in figures)
        final = max(r for r, _ in readings[-1][1])
        verdict = "met" if peak < TARGET_MIB else "NOT met"
        print(
            f"release {name:<3}: worker peak {peak:6.1f} MiB, RSS at end {final:6.1f} MiB   "
            f"target peak < {TARGET_MIB} MiB: {verdict}"
        )


if __name__ == "__main__":
    main()
