"""Latency of the mixed pages with 20 users at once, against the minimal view, same run.

    .venv/bin/python bench/bench_concurrent.py [--users 20] [--requests 30] [--workers 2]
        [--rounds 2]

Builds a throw-away SQLite database (load_demo), starts gunicorn (sync workers, DEBUG off)
with bench/urls_minimal.py's URLconf, and logs --users users in through the login form, each
with its own session. Every user is a thread with its own keep-alive connection. After one
warming pass over the pages, each round drives first /bench-minimal/ (a view returning "ok":
the yardstick under the same load) and then the mixed pages, --requests requests per user,
all users at once: the dashboard, the comparison, an indicator, the report page, the plan
detail and the peers page of the demo plan's organisation, each user starting at a different
page. Prints p50/p95 wall time per page and overall, the minimal view's, and the target line
(p95 < 300 ms at 20 users). The client runs on the same machine as the server and takes its
share of the CPUs; the load average printed at the end tells how busy the machine was.
Passes or fails nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from common import (
    free_port,
    gunicorn,
    login_cookie,
    machine,
    percentile,
    prepare,
    scratch_env,
    shell_json,
)

TARGET_P95_MS = 300.0

FIND_URLS = """
import json
from django.urls import reverse
from plans.models import Plan
plan = Plan.objects.order_by("pk").first()
org = plan.organisation_id
year = plan.assessment.framework.fiscal_year
print(json.dumps({
    "dashboard": reverse("ita:dashboard", args=[org]),
    "comparison": reverse("ita:compare", args=[org]),
    "indicator": reverse("ita:indicator", args=[org, 8]),
    "report page": reverse("documents:report", args=[org, year]),
    "plan detail": reverse("plans:plan-detail", args=[plan.pk]),
    "peers": reverse("ita:peers", args=[org]),
}))
"""

Sample = tuple[str, float, int]  # page, wall seconds, status


def drive(port: int, cookies: list[str], paths: list[tuple[str, str]], requests: int) -> list:
    """Every user (one thread each) makes `requests` GETs at once, cycling through `paths`
    from a different start; the (page, seconds, status) of each."""
    samples: list[Sample] = []
    lock = threading.Lock()
    start = threading.Barrier(len(cookies))

    def user(index: int, cookie: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[Sample] = []
        start.wait()
        for n in range(requests):
            label, path = paths[(index + n) % len(paths)]
            began = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            mine.append((label, time.perf_counter() - began, response.status))
        conn.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=user, args=(i, c)) for i, c in enumerate(cookies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def line(label: str, samples: list[Sample]) -> str:
    walls = [s[1] for s in samples]
    statuses = sorted({s[2] for s in samples})
    if not walls:
        # Few requests spread over six pages can leave one without a sample.
        return f"{label:16} no requests (raise --requests)"
    return (
        f"{label:16} p50 {percentile(walls, 50) * 1000:7.1f} ms  "
        f"p95 {percentile(walls, 95) * 1000:7.1f} ms  (n={len(walls)}, status {statuses})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="per user and round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-concurrent-"))
    env = scratch_env(scratch, minimal_urls=True)
    server = None
    try:
        prepare(env)
        pages = list(shell_json(env, FIND_URLS).items())
        port = free_port()
        server = gunicorn(env, port, args.workers)
        cookies = [f"sessionid={login_cookie(port)[0]}" for _ in range(args.users)]
        print(
            f"Machine: {machine()}; gunicorn sync workers {args.workers}; {args.users} users, "
            f"{args.rounds} rounds x {args.requests} requests per user"
        )
        # Warm: each page often enough that every worker has cached it (its own memory).
        drive(port, cookies[:1], pages, len(pages) * 4 * args.workers)
        drive(port, cookies, pages, len(pages))
        minimal: list[Sample] = []
        mixed: list[Sample] = []
        for _ in range(args.rounds):
            minimal += drive(port, cookies, [("minimal", "/bench-minimal/")], args.requests)
            mixed += drive(port, cookies, pages, args.requests)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    for label, _path in pages:
        print(line(label, [s for s in mixed if s[0] == label]))
    print(line("all pages", mixed))
    print(line("minimal view", minimal))
    p95 = percentile([s[1] for s in mixed], 95) * 1000
    ratio = percentile([s[1] for s in minimal], 95) * 1000 / p95
    verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load}")
    print(
        f"{args.users} users, mixed pages: p95 {p95:.1f} ms (minimal view's p95 / pages' "
        f"{ratio:.3f})   target p95 < {TARGET_P95_MS:.0f} ms: {verdict}"
    )


if __name__ == "__main__":
    main()
