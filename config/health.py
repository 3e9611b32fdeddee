"""Liveness for the container: the `healthz/` view and the start script's wait for the database.

docker-compose's healthcheck and .ci/run poll `healthz/`; docker/start.sh runs
`python -m config.health wait-for-database` before migrating, because the database container
may still be starting when the app container does.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.env import env_int


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    if database_is_up():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": "unreachable"}, status=503)


# Included by config/urls.py as `healthz/`.
urlpatterns = [path("", healthz, name="healthz")]


def wait_for_database(
    *,
    timeout: float,
    interval: float = 1.0,
    probe: Callable[[], bool] = database_is_up,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Poll until the database answers or `timeout` seconds pass; True when it answered."""
    deadline = clock() + timeout
    while True:
        if probe():
            return True
        if clock() >= deadline:
            return False
        # A failed attempt may leave a broken connection behind; start the next one afresh.
        connection.close()
        sleep(interval)


def main(argv: list[str]) -> int:
    if argv != ["wait-for-database"]:
        print("usage: python -m config.health wait-for-database", file=sys.stderr)
        return 2
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    timeout = env_int("DB_WAIT_SECONDS", 60)
    if wait_for_database(timeout=timeout):
        return 0
    print(f"The database did not answer within {timeout} seconds.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
