"""National scale on PostgreSQL: generate 8,000 organisations × 8 years, then time pages.

    .venv/bin/python bench/bench_national.py [--small] [--organisations N] [--requests 100]
        [--server postgres://postgres@127.0.0.1:5432] [--keep]

Creates the database ita_bench (dropping an old one), migrates, runs generate_national
(question level, bulk_create), prints the generation time and row counts, then the
dashboard's and comparison page's p50/p95 over --requests organisations picked at random,
then drops ita_bench (unless --keep). --small: 800 organisations.
"""

from __future__ import annotations

import argparse
import random
import time

from common import django_setup, machine, migrate, summary_ms, superuser_client, timed_get

DATABASE = "ita_bench"


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--organisations", type=int, default=8000)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--small", action="store_true", help="800 organisations")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep ita_bench afterwards")
    args = parser.parse_args()
    organisations = 800 if args.small else args.organisations

    _admin(args.server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin(args.server, f"CREATE DATABASE {DATABASE}")
    try:
        django_setup(f"{args.server}/{DATABASE}")
        started = time.perf_counter()
        migrate()
        print(f"Machine: {machine()}")
        print(f"migrate: {time.perf_counter() - started:.1f} s")
        run(organisations, args.years, args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(args.server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def run(organisations: int, years: int, requests: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from ita.models import Organisation

    started = time.perf_counter()
    call_command("generate_national", organisations=organisations, years=years)
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"generation incl. commit: {generated:.1f} s; database size {size}")

    ids = list(Organisation.objects.values_list("pk", flat=True))
    picked = random.Random(1).sample(ids, min(requests, len(ids)))
    admin = superuser_client()
    members = {pk: member_client(pk) for pk in picked}
    for name in ("ita:dashboard", "ita:compare"):
        # A superuser's organisation switcher lists every organisation; a member sees one.
        for who, client_for in (("member", members.get), ("superuser", lambda _pk: admin)):
            timed_get(client_for(picked[0]), reverse(name, args=[picked[0]]))
            results = [timed_get(client_for(pk), reverse(name, args=[pk])) for pk in picked]
            print(
                f"{name:14} {who:9} {summary_ms([t for t, _s, _q in results])}  "
                f"queries {sorted({q for _t, _s, q in results})}  "
                f"status {sorted({s for _t, s, _q in results})}"
            )


def member_client(organisation_id: int):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ita.models import Membership

    user = get_user_model().objects.create_user(f"member-{organisation_id}")
    Membership.objects.create(user=user, organisation_id=organisation_id)
    client = Client()
    client.force_login(user)
    return client


if __name__ == "__main__":
    main()
