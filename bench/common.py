"""Shared set-up of the page benchmarks: Django against a database named by the caller.

Not a test module: the bench/ scripts print figures and never assert on time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["*"]


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def superuser_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client


def timed_get(client, url: str) -> tuple[float, int, int]:
    """Seconds, status and number of SQL queries of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    return elapsed, response.status_code, len(queries)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:7.1f} ms  "
        f"p95 {percentile(values, 95) * 1000:7.1f} ms  (n={len(values)})"
    )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    return f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 1024 / 1024:.0f} GiB RAM"


def repeat(fn: Callable[[], float], runs: int) -> list[float]:
    return [fn() for _ in range(runs)]


class QueryCounter:
    """Counts every SQL statement through `connection.execute_wrapper`: unlike Django's
    CaptureQueriesContext (which keeps at most 9,000), it never stops counting."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


class BackendCpu:
    """CPU seconds used by this connection's PostgreSQL backend process, read from
    /proc/<pid>/stat (same machine only); 0 on SQLite, whose work is in-process."""

    def __init__(self) -> None:
        from django.db import connection

        self.path: Path | None = None
        self.tick = os.sysconf("SC_CLK_TCK")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            path = Path(f"/proc/{pid}/stat")
            self.path = path if path.exists() else None

    @property
    def measurable(self) -> bool:
        return self.path is not None

    def seconds(self) -> float:
        if self.path is None:
            return 0.0
        fields = self.path.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime


def measured_get(client, url: str, backend: BackendCpu) -> tuple[float, float, float, int, int]:
    """(wall s, process CPU s, DB backend CPU s, status, queries) of one GET."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        db_before = backend.seconds()
        cpu_before = time.process_time()
        started = time.perf_counter()
        response = client.get(url)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
        db = backend.seconds() - db_before
    return wall, cpu, db, response.status_code, counter.count


# --- gunicorn against a throw-away database (bench_throughput, bench_memory, bench_concurrent)

DEMO_USER = ("demo", "demo-ita-2568")  # load_demo's superuser


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_env(scratch: Path, *, minimal_urls: bool = False, **extra: str) -> dict[str, str]:
    """Environment of manage.py and gunicorn on a SQLite file in `scratch`, DEBUG off; with
    `minimal_urls` the URLconf is bench/urls_minimal.py (the site plus /bench-minimal/)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        DEBUG="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SECRET_KEY="bench-only-" + "x" * 40,
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_ROOT=str(scratch / "static"),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    if minimal_urls:
        (scratch / "bench_settings.py").write_text(
            'from config.settings import *  # noqa: F403\nROOT_URLCONF = "urls_minimal"\n'
        )
        env.update(
            PYTHONPATH=f"{scratch}:{ROOT / 'bench'}:{ROOT}", DJANGO_SETTINGS_MODULE="bench_settings"
        )
    env.update(extra)
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate, load the demo data and collect the static files."""
    import subprocess

    for command in (
        ["migrate", "-v0"],
        ["load_demo", "--i-know-this-is-not-production"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def shell_json(env: dict[str, str], script: str):
    """Run `script` in `manage.py shell` against the scratch environment and return the JSON
    its last printed line holds (e.g. the demo's page URLs, which need the database)."""
    import json
    import subprocess

    found = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if found.returncode:
        raise SystemExit(found.stderr)
    return json.loads(found.stdout.strip().splitlines()[-1])


def gunicorn(env: dict[str, str], port: int, workers: int, *options: str, stderr=None):
    """Start gunicorn (sync workers) on 127.0.0.1:`port` and wait until it listens; its
    error log goes to `stderr` (an open file) or a pipe."""
    import subprocess

    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--access-logfile",
            "/dev/null",
            *options,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if stderr is None else stderr,
    )
    wait_for(port)
    return server


def wait_for(port: int) -> None:
    import socket

    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def login_cookie(port: int, user: tuple[str, str] = DEMO_USER) -> tuple[str, str]:
    """Log a user in through the real form: (session id, where / sends them)."""
    import http.client
    import re

    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"csrfmiddlewaretoken={token}&username={user[0]}&password={user[1]}"
    conn.request(
        "POST",
        "/accounts/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies = response.getheader("Set-Cookie") or ""
    session = re.search(r"sessionid=([^;]+)", cookies).group(1)
    conn.request("GET", "/", headers={"Cookie": f"sessionid={session}"})
    home = conn.getresponse()
    home.read()
    conn.close()
    return session, home.getheader("Location") or "/"
