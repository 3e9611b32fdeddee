"""Requests per second of the dashboard vs a minimal Django view, under gunicorn, same run.

    .venv/bin/python bench/bench_throughput.py [--seconds 10] [--workers 2] [--concurrency 8]

Builds a throw-away SQLite database (load_demo), starts gunicorn on a free loopback port
with a URLconf that adds /bench-minimal/ (a view returning "ok" without the database), logs
a client in, then drives both URLs with wrk when it is installed, else with a small
threaded Python client, for --seconds each. Prints requests/s and the ratio. Stops gunicorn.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, demo_prepare, free_port, gunicorn_start, login_cookie, machine

URLCONF = """
from django.http import HttpResponse
from django.urls import path
from config.urls import urlpatterns as site

def minimal(request):
    return HttpResponse("ok")

urlpatterns = [path("bench-minimal/", minimal), *site]
"""


def python_client(port: int, path: str, cookie: str, seconds: float, threads: int) -> float:
    counts = [0] * threads
    errors = [0] * threads
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while time.perf_counter() < deadline:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if sum(errors):
        print(f"  {sum(errors)} non-200 responses on {path}")
    return sum(counts) / seconds


def wrk(port: int, path: str, cookie: str, seconds: float, threads: int) -> float:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{threads}",
            f"-d{int(seconds)}s",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in result.stdout:
        print("  " + next(x for x in result.stdout.splitlines() if "Non-2xx" in x).strip())
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    (scratch / "bench_urls.py").write_text(URLCONF)
    (scratch / "bench_settings.py").write_text(
        'from config.settings import *  # noqa: F403\nROOT_URLCONF = "bench_urls"\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 40,
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_ROOT=str(scratch / "static"),
        PYTHONPATH=f"{scratch}:{ROOT}",
        DJANGO_SETTINGS_MODULE="bench_settings",
    )
    demo_prepare(env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    server = gunicorn_start(env, port, args.workers)
    try:
        session, dashboard = login_cookie(port)
        cookie = f"sessionid={session}"
        drive = wrk if shutil.which("wrk") else python_client
        print(
            f"Machine: {machine()}; gunicorn workers {args.workers}; "
            f"client {drive.__name__}, concurrency {args.concurrency}, {args.seconds:g} s each"
        )
        minimal = drive(port, "/bench-minimal/", cookie, args.seconds, args.concurrency)
        page = drive(port, dashboard, cookie, args.seconds, args.concurrency)
        print(f"minimal view: {minimal:8.1f} req/s")
        print(f"dashboard {dashboard}: {page:8.1f} req/s")
        print(f"ratio dashboard/minimal: {page / minimal:.3f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
