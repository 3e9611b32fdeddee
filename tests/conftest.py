from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

from ita.models import Framework


def pytest_collection_modifyitems(config, items):
    # A transactional test without serialized_rollback ends with a flush that re-creates the
    # content types, and the next serialized test then fails restoring its copy of them: on
    # PostgreSQL, and only in some orders, so it is refused here in every order.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keeps each phase's report on the test, so browser fixtures can screenshot failures.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def framework_2568(db) -> Framework:
    """The shipped 2568 framework (from the data migration)."""
    return Framework.objects.get(fiscal_year=2568)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser(
        username="admin", email="admin@example.org", password="pass-1234-admin"
    )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher takes about 0.6 s a password on a CI machine, and the demo
    # fixtures create six users per test; what is tested is who may do what, not PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_without_collectstatic(settings):
    # Pages use {% static %}; the production manifest exists only after collectstatic,
    # which .ci/run exercises separately through docker/start.sh.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Login and password-reset counters live in the cache: one test's tries are not the next's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_figures_cache():
    """Cached year figures are keyed by fresh tokens, so no test can read another's; cleared
    anyway so that pinned query counts do not depend on which test ran before."""
    from django.core.cache import caches

    caches["figures"].clear()
    caches["print-charts"].clear()
    yield
    caches["figures"].clear()
    caches["print-charts"].clear()


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    # Pinned query counts must not depend on which earlier test filled this cache.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _restore_shipped_data_after_flush(request, django_db_blocker):
    """Transactional tests (live_server) end with a flush that also deletes what the data
    migrations ship (frameworks, role groups, standard measures); put it back so later
    tests see a migrated database."""
    yield
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    with django_db_blocker.unblock():
        if Framework.objects.exists():
            return
        loader = MigrationLoader(None, ignore_no_migrations=True)
        # Data migrations that read schema_editor.connection get the default connection.
        from types import SimpleNamespace

        from django.db import connection

        editor = SimpleNamespace(connection=connection)
        for app_label, name in sorted(loader.disk_migrations):
            if app_label not in {"ita", "plans"}:
                continue
            for operation in loader.disk_migrations[app_label, name].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, editor)


@pytest.fixture(autouse=True)
def _private_stored_documents(settings, tmp_path):
    # Signed copies written by a test (plan approvals, signing) never land in the project.
    settings.DOCUMENTS_STORED_ROOT = tmp_path / "stored-documents"
    # Rendered documents too: each test starts with none stored.
    settings.DOCUMENTS_CACHE_ROOT = tmp_path / "rendered-documents"
