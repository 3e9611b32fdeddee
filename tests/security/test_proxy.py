"""The deployment files: nginx alone publishes a port and holds slow or huge requests back
from gunicorn; the image keeps private data out and can write its evidence folder."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
needs_nginx = pytest.mark.skipif(shutil.which("nginx") is None, reason="apt-get install nginx")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _nginx_directives() -> dict[str, str]:
    text = (ROOT / "docker" / "nginx.conf").read_text(encoding="utf-8")
    lines = (line.split("#")[0].strip() for line in text.splitlines())
    # "proxy_set_header Host $host" -> {"proxy_set_header Host": "$host"}: value = last word.
    return dict(line.rstrip(";").rsplit(None, 1) for line in lines if line.endswith(";"))


def _bench():
    """bench/slow_clients.py, which is a script folder rather than a package."""
    name = "bench_slow_clients"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "slow_clients.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclass looks itself up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_proxy_is_the_only_service_that_publishes_a_port():
    services = _compose()["services"]

    published = {name for name, service in services.items() if service.get("ports")}

    assert published == {"proxy"}
    assert services["proxy"]["image"].split(":")[0] == "nginx"
    assert services["proxy"]["ports"] == ["${APP_PORT:-8000}:80"]
    assert "./docker/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    assert services["app"]["expose"] == ["8000"]
    assert services["app"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


def test_proxy_buffers_requests_and_limits_their_size_and_time():
    directives = _nginx_directives()

    assert directives["proxy_request_buffering"] == "on"
    assert directives["client_max_body_size"] == f"{settings.REQUEST_MAX_BYTES // 1024**2}m"
    assert directives["client_header_timeout"] == "10s"
    assert directives["client_body_timeout"] == "20s"
    assert directives["proxy_set_header X-Forwarded-For"] == "$proxy_add_x_forwarded_for"


@needs_nginx
def test_proxy_config_passes_nginx_test(tmp_path):
    result = _bench().nginx_check(tmp_path, upstream_port=18000, listen_port=18080)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@needs_nginx
def test_proxy_keeps_slow_header_clients_from_stalling_others(tmp_path):
    bench = _bench()

    with bench.deployment(tmp_path) as (proxy_port, _app_port):
        run = bench.compare(proxy_port, requests=30, slow=2)
        status, seconds = bench.oversized_post_status(proxy_port, 2 * 1024**3)
    gunicorn_log = (tmp_path / "app.log").read_text()

    assert "Using worker: gthread" in gunicorn_log
    assert run.failed_with == 0
    # Loopback latencies are a few ms; the floor keeps scheduler noise from failing the test,
    # while a stalled worker costs whole seconds.
    assert run.p95_with <= max(2 * run.p95_without, 0.05), run
    assert status == 413
    assert seconds < 1


def test_dockerignore_keeps_private_data_and_secrets_out_of_the_image():
    lines = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {"private", "media", "db.sqlite3", ".env", ".env.*", ".venv", ".git"} <= lines
    assert "!.env.example" in lines


def test_dockerfile_gives_the_evidence_folder_to_the_app_user_before_switching_to_it():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    user_at = text.index("USER ita")

    mkdir = re.search(r"mkdir -p [^\n&]*\bprivate/evidence\b", text)
    chown = re.search(r"chown -R ita:ita [^\n&]*\bprivate\b", text)

    assert mkdir and mkdir.start() < user_at
    assert chown and chown.start() < user_at
    assert "PLANS_EVIDENCE_ROOT: /app/private/evidence" in (ROOT / "docker-compose.yml").read_text()
