"""Dashboard, comparison and peers pages of one organisation with 1 year vs 10 years.

    .venv/bin/python bench/bench_pages.py [--runs 30] [--years 10]
        [--database-url postgres://.../bench_pages]

Only 7 frameworks exist (2562-2568); for 10 years the latest is copied into 2569-2571
(generate_national --copy-frameworks), so those three years are benchmark frameworks.

Default: a throw-away SQLite file. With --database-url the database must be named bench_*
and is migrated in place. Prints query counts (must not grow with years) and median render
time through Django's test client (no network, no server). Figures only, no pass/fail.
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from common import django_setup, machine, migrate, summary_ms, superuser_client, timed_get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url and not args.database_url.rsplit("/", 1)[-1].startswith("bench_"):
        parser.error("the database's name must start with bench_")
    scratch = tempfile.TemporaryDirectory()
    django_setup(args.database_url or f"sqlite:///{Path(scratch.name) / 'bench.sqlite3'}")
    migrate()

    from django.core.management import call_command
    from django.urls import reverse

    from ita.models import Assessment, Framework, Organisation

    call_command(
        "generate_national",
        organisations=2,
        years=args.years,
        copy_frameworks=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    one, many = Organisation.objects.filter(name__endswith="(bench)").order_by("pk")[:2]
    latest = Framework.objects.order_by("-fiscal_year").first()
    Assessment.objects.filter(organisation=one).exclude(framework=latest).delete()
    years = {o: Assessment.objects.filter(organisation=o).count() for o in (one, many)}
    client = superuser_client()

    print(f"Machine: {machine()}; database: {_vendor()}")
    for name in ("ita:dashboard", "ita:compare", "ita:peers"):
        for organisation in (one, many):
            url = reverse(name, args=[organisation.pk])
            timed_get(client, url)  # warm caches, templates and the session
            results = [timed_get(client, url) for _ in range(args.runs)]
            statuses = {status for _t, status, _q in results}
            queries = {q for _t, _s, q in results}
            print(
                f"{name:14} {years[organisation]:2} year(s): queries {sorted(queries)}  "
                f"{summary_ms([t for t, _s, _q in results])}  status {sorted(statuses)}"
            )
    scratch.cleanup()


def _vendor() -> str:
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"


if __name__ == "__main__":
    main()
