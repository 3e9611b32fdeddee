from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("ITA_TEST_FLAG", raw)

    assert env_bool("ITA_TEST_FLAG", default=not expected) is expected


def test_env_bool_refuses_nonsense_naming_the_variable(monkeypatch):
    monkeypatch.setenv("ITA_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match=r"ITA_TEST_FLAG must be one of .* not 'maybe'"):
        env_bool("ITA_TEST_FLAG")


def test_env_bool_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv("ITA_TEST_FLAG", raising=False)

    assert env_bool("ITA_TEST_FLAG", default=True) is True


def test_env_int_refuses_nonsense_naming_the_variable(monkeypatch):
    monkeypatch.setenv("ITA_TEST_NUMBER", "ten")

    with pytest.raises(
        ImproperlyConfigured, match=r"ITA_TEST_NUMBER must be a whole number, not 'ten'"
    ):
        env_int("ITA_TEST_NUMBER", 3)


def test_env_int_reads_a_number_and_defaults_when_blank(monkeypatch):
    monkeypatch.setenv("ITA_TEST_NUMBER", "42")
    assert env_int("ITA_TEST_NUMBER", 3) == 42

    monkeypatch.setenv("ITA_TEST_NUMBER", " ")
    assert env_int("ITA_TEST_NUMBER", 3) == 3


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ITA_TEST_HOSTS", "ita.example.go.th, localhost,,")

    assert env_list("ITA_TEST_HOSTS", []) == ["ita.example.go.th", "localhost"]


def _settings_with(monkeypatch, **env: str | None) -> dict:
    """Evaluate config/settings.py afresh under `env`, leaving django.conf.settings alone."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))


def test_settings_database_url_selects_postgresql(monkeypatch):
    namespace = _settings_with(
        monkeypatch, DATABASE_URL="postgres://ita:secret@db.example:5433/ita_prod"
    )

    database = namespace["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example",
        5433,
        "ita_prod",
    )


def test_settings_without_database_url_use_sqlite_in_the_project(monkeypatch):
    namespace = _settings_with(monkeypatch, DATABASE_URL=None)

    database = namespace["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == ROOT / "db.sqlite3"


def test_settings_with_nothing_set_are_safe(monkeypatch):
    namespace = _settings_with(
        monkeypatch, DEBUG=None, SECRET_KEY=None, SESSION_COOKIE_SECURE=None, ALLOWED_HOSTS=None
    )

    assert namespace["DEBUG"] is False
    assert namespace["SECRET_KEY"] == namespace["DEV_SECRET_KEY"]
    assert namespace["SESSION_COOKIE_SECURE"] is True
    assert namespace["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]


def test_settings_refuse_a_nonsense_debug_value(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        _settings_with(monkeypatch, DEBUG="sometimes")


@pytest.fixture
def wsgi(settings, tmp_path):
    """config.wsgi, imported with a real key so its import-time check passes."""
    settings.SECRET_KEY = "imported-for-tests-" + "x" * 40
    settings.STATIC_ROOT = tmp_path
    import config.wsgi

    return config.wsgi


def test_refuse_development_key_stops_a_production_server(wsgi, settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEV_SECRET_KEY

    with pytest.raises(ImproperlyConfigured, match="refusing to serve with the development key"):
        wsgi.refuse_development_key()


def test_refuse_development_key_allows_debug_and_a_real_key(wsgi, settings):
    settings.DEBUG = True
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    wsgi.refuse_development_key()

    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-key-" + "y" * 40
    wsgi.refuse_development_key()


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy(
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_the_development_key():
    result = _check_deploy(DEBUG="false", SECURE_SSL_REDIRECT="true", SECURE_HSTS_SECONDS="3600")

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_settings_session_ends_after_a_working_day_idle_by_default(monkeypatch):
    namespace = _settings_with(monkeypatch, SESSION_IDLE_TIMEOUT=None)

    assert namespace["SESSION_IDLE_TIMEOUT"] == 8 * 60 * 60
    assert namespace["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert "config.sessions.SessionIdleTimeoutMiddleware" in namespace["MIDDLEWARE"]


def test_settings_session_idle_timeout_is_read_and_checked(monkeypatch):
    assert _settings_with(monkeypatch, SESSION_IDLE_TIMEOUT="900")["SESSION_COOKIE_AGE"] == 900
    with pytest.raises(ImproperlyConfigured, match="SESSION_IDLE_TIMEOUT"):
        _settings_with(monkeypatch, SESSION_IDLE_TIMEOUT="5")


@pytest.mark.parametrize(
    ("env", "ipware_count", "order"),
    [
        ({"TRUSTED_PROXY_COUNT": None, "BEHIND_TLS_PROXY": None}, None, ("REMOTE_ADDR",)),
        (
            {"TRUSTED_PROXY_COUNT": None, "BEHIND_TLS_PROXY": "true"},
            0,
            ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        ),
        (
            {"TRUSTED_PROXY_COUNT": "2", "BEHIND_TLS_PROXY": None},
            1,
            ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        ),
    ],
)
def test_settings_trusted_proxy_count_configures_ipware(monkeypatch, env, ipware_count, order):
    namespace = _settings_with(monkeypatch, **env)

    assert namespace.get("AXES_IPWARE_PROXY_COUNT") == ipware_count
    assert namespace["AXES_IPWARE_META_PRECEDENCE_ORDER"] == order


def test_settings_refuse_a_negative_proxy_count(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        _settings_with(monkeypatch, TRUSTED_PROXY_COUNT="-1")


def test_settings_size_limit_runs_after_authentication(monkeypatch):
    middleware = _settings_with(monkeypatch)["MIDDLEWARE"]

    position = middleware.index("config.limits.RequestSizeLimitMiddleware")

    # After it, so it can tell users apart; every view and process_view hook (CSRF's reads
    # the body) runs inside it, so nothing reads a refused body.
    assert position > middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")


def test_settings_without_cache_url_keep_figures_in_local_memory(monkeypatch):
    namespace = _settings_with(monkeypatch, CACHE_URL=None, REDIS_URL=None)

    figures = namespace["CACHES"]["figures"]
    assert figures["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert figures["TIMEOUT"] is None  # invalidated by data version, never by time


@pytest.mark.parametrize("name", ["CACHE_URL", "REDIS_URL"])
def test_settings_cache_url_selects_redis_for_every_cache(monkeypatch, name):
    other = "REDIS_URL" if name == "CACHE_URL" else "CACHE_URL"
    namespace = _settings_with(monkeypatch, **{name: "redis://redis:6379/0", other: None})

    caches = namespace["CACHES"]
    assert {c["BACKEND"] for c in caches.values()} == {
        "django.core.cache.backends.redis.RedisCache"
    }
    assert caches["figures"]["LOCATION"] == "redis://redis:6379/0"
    assert (caches["figures"]["TIMEOUT"], caches["default"]["TIMEOUT"]) == (None, 300)


def test_settings_refuse_a_cache_url_that_is_not_redis(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL/REDIS_URL must be a redis://"):
        _settings_with(monkeypatch, CACHE_URL="memcached://127.0.0.1:11211", REDIS_URL=None)
