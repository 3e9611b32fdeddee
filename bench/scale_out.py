"""Stateless scale-out: two app processes sharing one PostgreSQL, and a PostgreSQL restart.

Creates its own database on the local PostgreSQL (`--server`), migrates, runs `load_demo`,
collects static files into a scratch folder, then starts two gunicorn processes on two free
loopback ports (DEBUG off, plain-HTTP cookies). It

1. logs the demo supervisor in through port A's login form (urllib + http.cookiejar, the
   CSRF token read from the form) and fetches the dashboard through port B with only that
   session cookie: printed as served logged-in or not (an anonymous request is shown too);
2. runs a bounded load loop against the dashboard, alternating ports, and restarts
   PostgreSQL part-way (`pg_ctlcluster ... restart`; this machine's own server, so other
   users of it see the restart too), then prints OK/error counts per second.

Both servers are stopped and the database dropped at the end, whatever happens. Not a
test: it prints figures and never fails on them. Only loopback addresses are used.

    .venv/bin/python bench/scale_out.py [--seconds 20] [--restart-at 8] [--no-restart]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "demo-executive"  # supervisor of the demo organisation (plans/demo.py)
PASSWORD = "demo-ita-2568"
LOGGED_IN_MARK = 'action="/accounts/logout/"'


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn on port {port} did not start")


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def log_in(port: int) -> tuple[str, str]:
    """The session cookie and the page the login lands on, through port's real form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = f"http://127.0.0.1:{port}/accounts/login/"
    form = opener.open(login_url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise SystemExit("no CSRF token in the login form")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})
    with opener.open(request, timeout=10) as response:  # follows / to the dashboard
        landed = urllib.parse.urlsplit(response.url).path
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        raise SystemExit("the login did not set a session cookie")
    return session, landed


def fetch(port: int, path: str, session: str | None, timeout: float = 5) -> tuple[int, str]:
    """Status and body of one GET, redirects not followed, with only the session cookie."""
    opener = urllib.request.build_opener(NoRedirect)
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def load(
    ports: list[int], path: str, session: str, seconds: float, threads: int
) -> tuple[float, list[tuple[float, bool, str]]]:
    """(start, [(time, ok, outcome)]) of `threads` clients alternating between ports."""
    results: list[tuple[float, bool, str]] = []
    lock = threading.Lock()
    start = time.monotonic()

    def client(index: int) -> None:
        n = index
        while (now := time.monotonic()) - start < seconds:
            try:
                status, body = fetch(ports[n % len(ports)], path, session)
                ok = status == 200 and LOGGED_IN_MARK in body
                outcome = f"HTTP {status}" if ok or status != 200 else "HTTP 200 not logged in"
            except (OSError, urllib.error.URLError) as error:
                ok, outcome = False, type(error).__name__
            with lock:
                results.append((now - start, ok, outcome))
            n += 1
            time.sleep(0.02)

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return start, results


def restart_postgres(after: float, window: dict[str, float], start_at: list[float]) -> None:
    while not start_at:
        time.sleep(0.01)
    time.sleep(max(0.0, after - (time.monotonic() - start_at[0])))
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    window["begin"] = time.monotonic() - start_at[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    window["end"] = time.monotonic() - start_at[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--restart-at", type=float, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
    parser.add_argument("--no-restart", action="store_true")
    args = parser.parse_args()

    server = urllib.parse.urlsplit(args.server)
    if server.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("loopback PostgreSQL only")
    pg = ["-h", server.hostname, "-p", str(server.port or 5432), "-U", server.username or ""]
    database = f"ita_scale_out_{os.getpid()}"
    scratch = Path(tempfile.mkdtemp(prefix="scale-out-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=f"{args.server}/{database}",
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="scale-out-only-" + "x" * 40,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        STATIC_ROOT=str(scratch / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    servers: list[subprocess.Popen[bytes]] = []
    created = False
    try:
        subprocess.run(["createdb", *pg, database], check=True)
        created = True
        started = time.monotonic()
        run([sys.executable, "manage.py", "migrate", "--noinput"], env)
        run([sys.executable, "manage.py", "load_demo", "--i-know-this-is-not-production"], env)
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        print(f"database {database}: migrated, demo loaded in {time.monotonic() - started:.1f} s")

        ports = [free_port(), free_port()]
        for port in ports:
            log = (scratch / f"gunicorn-{port}.log").open("wb")
            servers.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "gunicorn"),
                        "config.wsgi",
                        "-b",
                        f"127.0.0.1:{port}",
                        "-w",
                        str(args.workers),
                        "--access-logfile",
                        "/dev/null",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=log,
                )
            )
        for port in ports:
            wait_for(port)
        a, b = ports
        print(f"gunicorn A on 127.0.0.1:{a}, B on 127.0.0.1:{b}, {args.workers} workers each")

        session, dashboard = log_in(a)
        status, body = fetch(b, dashboard, session)
        served = status == 200 and LOGGED_IN_MARK in body
        shown = re.search(r'class="user-menu__name">([^<]*)<', body)
        anonymous, _ = fetch(b, dashboard, None)
        print(f"logged in as {USERNAME} through A; landed on {dashboard}")
        print(
            f"B with A's session cookie: HTTP {status}, "
            f"{'served logged-in' if served else 'NOT logged in'}"
            f" (user menu shows {shown.group(1).strip() if shown else 'nothing'!r});"
            " without a cookie: "
            f"HTTP {anonymous}"
        )

        window: dict[str, float] = {}
        start_at: list[float] = []
        restarter = None
        if not args.no_restart:
            restarter = threading.Thread(
                target=restart_postgres, args=(args.restart_at, window, start_at)
            )
            restarter.start()
        start_at.append(time.monotonic())
        _start, results = load(ports, dashboard, session, args.seconds, args.threads)
        if restarter is not None:
            restarter.join()
        report(results, window, args)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if created:
            subprocess.run(["dropdb", *pg, "--if-exists", "--force", database], check=False)
        shutil.rmtree(scratch, ignore_errors=True)


def report(results: list[tuple[float, bool, str]], window: dict[str, float], args) -> None:
    ok: Counter[int] = Counter()
    errors: Counter[int] = Counter()
    for at, good, _outcome in results:
        (ok if good else errors)[int(at)] += 1
    if window:
        print(
            f"PostgreSQL restart command ran from {window['begin']:.2f} s to {window['end']:.2f} s"
        )
    print("second    ok  errors")
    for second in range(int(args.seconds) + 1):
        if not ok[second] and not errors[second]:
            continue
        down = window and int(window["begin"]) <= second <= int(window["end"])
        mark = "  <- restart" if down else ""
        print(f"{second:6d} {ok[second]:5d} {errors[second]:7d}{mark}")
    failed = [at for at, good, _outcome in results if not good]
    print(f"total {len(results)} requests, {len(results) - len(failed)} ok, {len(failed)} errors")
    if failed:
        kinds = Counter(outcome for _at, good, outcome in results if not good)
        print(f"errors between {min(failed):.2f} s and {max(failed):.2f} s: {dict(kinds)}")
        after = [at for at, good, _outcome in results if good and at > max(failed)]
        if after:
            print(f"first OK after the last error: {min(after):.2f} s")


if __name__ == "__main__":
    main()
