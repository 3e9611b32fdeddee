from __future__ import annotations

import ast
import os
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils import translation

from ita.models import Assessment

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_models_have_all_their_migrations():
    out = StringIO()

    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"A model change has no migration; run makemigrations.\n{out.getvalue()}")


def test_system_check_is_clean():
    out = StringIO()

    call_command("check", "--fail-level", "WARNING", stdout=out, stderr=out)

    assert "no issues" in out.getvalue()


@pytest.mark.parametrize(("language", "expected"), [("th", "ผลการประเมิน"), ("en", "assessment")])
def test_catalogue_translates_a_known_msgid(language, expected):
    with translation.override(language):
        assert str(Assessment._meta.verbose_name) == expected


def _variables_read_by(path: Path) -> set[str]:
    readers = {"env_str", "env_bool", "env_int", "env_list"}
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in readers
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def test_env_example_lists_every_variable_the_settings_read():
    read = _variables_read_by(ROOT / "config" / "settings.py") | {"DATABASE_URL"}
    read |= _variables_read_by(ROOT / "config" / "health.py")
    listed = set(
        re.findall(
            r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M
        )
    )

    assert read - listed == set()
    assert "SECRET_KEY" in read


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_runs_postgres_with_a_volume_and_a_readiness_check():
    db = _compose()["services"]["db"]

    assert db["image"] == "postgres:15"
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "pgdata" in _compose()["volumes"]


def test_compose_app_waits_for_the_database_and_checks_healthz():
    compose = _compose()
    app = compose["services"]["app"]

    assert app["build"] == "."
    assert app["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert app["environment"]["DATABASE_URL"].endswith("@db:5432/ita")
    # No default: compose must refuse to start without a key of its own.
    assert app["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "/healthz/" in " ".join(app["healthcheck"]["test"])
    assert "media:/app/media" in app["volumes"]
    assert "media" in compose["volumes"]
    start = ROOT / app["command"][0]
    assert os.access(start, os.X_OK), f"{start} must exist and be executable"


def test_compose_shares_one_redis_cache_between_the_app_and_the_scheduler():
    services = _compose()["services"]
    redis = services["redis"]

    assert redis["image"].startswith("redis:")
    assert "redis-cli" in " ".join(redis["healthcheck"]["test"])
    # A cache only: least recently used keys go when full, nothing is written to disk.
    assert "allkeys-lru" in redis["command"]
    assert "volumes" not in redis
    for name in ("app", "scheduler"):
        assert services[name]["environment"]["CACHE_URL"] == "redis://redis:6379/0"


def test_dockerfile_starts_the_same_script_as_compose():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert 'CMD ["docker/start.sh"]' in dockerfile
    assert _compose()["services"]["app"]["command"] == ["docker/start.sh"]


def test_readme_opens_with_the_run_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    commands = re.findall(r"^\./[\w.]+", readme, re.M)

    assert commands[:2] == ["./run.sh", "./test.sh"]
    for command in commands[:2]:
        assert os.access(ROOT / command, os.X_OK), f"{command} must be executable"
