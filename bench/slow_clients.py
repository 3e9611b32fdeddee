"""Slow-header clients against the deployment: nginx (docker/nginx.conf) in front of gunicorn
started by docker/start.sh, all on loopback ports, SQLite in a temporary folder.

Measures the p95 latency of GET /healthz/ through nginx without and with slow clients that
send their headers a line a second, and, with --control, the same against plain sync gunicorn
workers without a proxy (what docker-compose.yml used to publish). Every request has a 5 s
timeout, so a stalled run ends too.

    .venv/bin/python bench/slow_clients.py [--requests 40] [--slow 2] [--control]

Needs Debian's nginx (`apt-get install -y nginx`). tests/security/test_proxy.py runs the same
functions with small counts. Not a benchmark of the app: it prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 5.0
HOST = "127.0.0.1"

NGINX_MAIN = """
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def nginx_site(upstream_port: int, listen_port: int) -> str:
    """docker/nginx.conf with loopback addresses instead of the compose service names."""
    text = (ROOT / "docker" / "nginx.conf").read_text(encoding="utf-8")
    for old, new in (
        ("server app:8000;", f"server {HOST}:{upstream_port};"),
        ("listen 80 default_server;", f"listen {HOST}:{listen_port} default_server;"),
    ):
        if old not in text:
            raise RuntimeError(f"docker/nginx.conf no longer contains {old!r}")
        text = text.replace(old, new)
    return text


def nginx_check(tmp: Path, upstream_port: int, listen_port: int) -> subprocess.CompletedProcess:
    (tmp / "site.conf").write_text(nginx_site(upstream_port, listen_port), encoding="utf-8")
    (tmp / "main.conf").write_text(NGINX_MAIN.format(tmp=tmp), encoding="utf-8")
    return subprocess.run(
        ["nginx", "-t", "-p", str(tmp), "-c", str(tmp / "main.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )


def wait_until_up(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if get(port, "/healthz/")[1] == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s")


def app_env(tmp: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "slow-clients-bench-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "STATIC_ROOT": str(tmp / "static"),
        "PLANS_EVIDENCE_ROOT": str(tmp / "evidence"),
        "HOST": HOST,
        "PORT": str(port),
        "PYTHON": sys.executable,
        "WEB_CONCURRENCY": "2",
        "DB_WAIT_SECONDS": "10",
    }


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def deployment(tmp: Path) -> Iterator[tuple[int, int]]:
    """docker/start.sh (gunicorn, gthread) behind nginx; yields (nginx port, gunicorn port)."""
    app_port, proxy_port = free_port(), free_port()
    check = nginx_check(tmp, app_port, proxy_port)
    if check.returncode != 0:
        raise RuntimeError(check.stderr)
    with running([str(ROOT / "docker" / "start.sh")], app_env(tmp, app_port), tmp / "app.log"):
        wait_until_up(app_port, 120)
        nginx = ["nginx", "-p", str(tmp), "-c", str(tmp / "main.conf"), "-g", "daemon off;"]
        with running(nginx, dict(os.environ), tmp / "nginx.log"):
            wait_until_up(proxy_port, 15)
            yield proxy_port, app_port


@contextlib.contextmanager
def sync_gunicorn(tmp: Path) -> Iterator[int]:
    """Two sync workers published directly: the set-up the slow-header probe stalled."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "2",
        "--worker-class",
        "sync",
    ]
    with running(command, app_env(tmp, port), tmp / "sync.log"):
        wait_until_up(port, 60)
        yield port


def get(port: int, path: str) -> tuple[float, int]:
    """Seconds and status of one GET; a timeout counts as REQUEST_TIMEOUT and status 0."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        status = connection.getresponse().status
    except TimeoutError:
        return REQUEST_TIMEOUT, 0
    finally:
        connection.close()
    return time.perf_counter() - started, status


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@contextlib.contextmanager
def slow_clients(port: int, count: int) -> Iterator[list[socket.socket]]:
    """`count` connections that send a request line, then one header line a second."""
    stop = threading.Event()
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((HOST, port), timeout=REQUEST_TIMEOUT)
        sock.sendall(f"GET /healthz/ HTTP/1.1\r\nHost: {HOST}\r\n".encode())
        sockets.append(sock)

    def trickle() -> None:
        number = 0
        while not stop.wait(1.0):
            number += 1
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(f"X-Slow-{number}: 1\r\n".encode())

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    time.sleep(0.5)  # let the server take them in
    try:
        yield sockets
    finally:
        stop.set()
        thread.join(timeout=3)
        for sock in sockets:
            sock.close()


@dataclass(frozen=True)
class Run:
    p95_without: float
    p95_with: float
    failed_with: int


def compare(port: int, *, requests: int, slow: int) -> Run:
    get(port, "/healthz/")  # warm up
    without = [get(port, "/healthz/")[0] for _ in range(requests)]
    with slow_clients(port, slow):
        results = [get(port, "/healthz/") for _ in range(requests)]
    return Run(
        p95_without=p95(without),
        p95_with=p95([seconds for seconds, _ in results]),
        failed_with=sum(1 for _, status in results if status != 200),
    )


def oversized_post_status(port: int, length: int) -> tuple[int, float]:
    """Status and seconds for a POST that announces `length` bytes and sends none of them."""
    started = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall(
            (
                f"POST /accounts/login/ HTTP/1.1\r\nHost: {HOST}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        head = sock.recv(64).decode("latin-1")
    return int(head.split()[1]), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--slow", type=int, default=2)
    parser.add_argument("--control", action="store_true", help="also sync gunicorn, no proxy")
    args = parser.parse_args()
    if shutil.which("nginx") is None:
        sys.exit("nginx is not installed (apt-get install -y nginx)")
    requests, slow = min(args.requests, 200), min(args.slow, 20)  # bounded on purpose
    with tempfile.TemporaryDirectory(prefix="ita-slow-") as name:
        tmp = Path(name)
        with deployment(tmp) as (proxy_port, _app_port):
            run = compare(proxy_port, requests=requests, slow=slow)
            status, seconds = oversized_post_status(proxy_port, 2 * 1024**3)
        print(
            f"nginx + gthread: p95 {run.p95_without * 1000:.1f} ms without, "
            f"{run.p95_with * 1000:.1f} ms with {slow} slow clients "
            f"({run.failed_with} of {requests} failed)"
        )
        print(f"nginx: 2 GB anonymous POST answered {status} in {seconds * 1000:.1f} ms")
        if args.control:
            with sync_gunicorn(tmp) as port:
                control = compare(port, requests=min(requests, 6), slow=slow)
            print(
                f"sync gunicorn, no proxy: p95 {control.p95_without * 1000:.1f} ms without, "
                f"{control.p95_with * 1000:.1f} ms with {slow} slow clients "
                f"({control.failed_with} of {min(requests, 6)} failed or timed out)"
            )


if __name__ == "__main__":
    main()
