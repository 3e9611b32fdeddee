"""National scale on PostgreSQL: 8,000 organisations × 8 years; pages, import, report PDF.

    .venv/bin/python bench/bench_national.py [--small] [--organisations N] [--requests 100]
        [--import-chunk 500] [--pdfs 10] [--no-import]
        [--server postgres://postgres@127.0.0.1:5432] [--keep]

Creates the database ita_bench (dropping an old one), migrates, runs generate_national
(question level, bulk_create; 7 frameworks exist, so 2568 is copied into 2569 for the
eighth year), prints the generation time and row counts, then:

- the dashboard's, comparison's and peers page's p50/p95 over --requests organisations
  picked at random, as a member of that organisation and as a superuser;
- the analysis report PDF (data + WeasyPrint) of --pdfs random organisations, each with
  8 years of results;
- import through the spreadsheet importer: every organisation's latest year is exported
  to .xlsx files of --import-chunk worksheets, deleted, and imported again with
  `results_import` (the code behind the admin import and `import_results`: parsing,
  validation, `results_save` with its audit history), then the row counts are compared.

Then drops ita_bench (unless --keep). --small: 800 organisations.
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
    parser.add_argument("--import-chunk", type=int, default=500)
    parser.add_argument("--pdfs", type=int, default=10)
    parser.add_argument("--no-import", action="store_true")
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
        if args.pdfs:
            report_pdfs(args.pdfs)
        if not args.no_import:
            import_latest_year(args.import_chunk)
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
    call_command(
        "generate_national", organisations=organisations, years=years, copy_frameworks=True
    )
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
    for name in ("ita:dashboard", "ita:compare", "ita:peers"):
        # A superuser's organisation switcher lists every organisation; a member sees one.
        for who, client_for in (("member", members.get), ("superuser", lambda _pk: admin)):
            timed_get(client_for(picked[0]), reverse(name, args=[picked[0]]))
            results = [timed_get(client_for(pk), reverse(name, args=[pk])) for pk in picked]
            print(
                f"{name:14} {who:9} {summary_ms([t for t, _s, _q in results])}  "
                f"queries {sorted({q for _t, _s, q in results})}  "
                f"status {sorted({s for _t, s, _q in results})}"
            )


def report_pdfs(count: int) -> None:
    """The analysis report PDF of random organisations, data and render, in seconds."""
    from django.utils import translation

    from documents import exports
    from documents.content import DocumentOptions, report_data
    from ita.models import Assessment, Framework, Organisation

    year = Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)[0]
    ids = list(Organisation.objects.values_list("pk", flat=True))
    picked = random.Random(2).sample(ids, min(count + 1, len(ids)))
    with translation.override("th"):
        times = []
        for pk in picked:
            organisation = Organisation.objects.get(pk=pk)
            started = time.perf_counter()
            options = DocumentOptions(thai_digits=True)
            pdf = exports.report_pdf(report_data(organisation, year, options), options)
            times.append(time.perf_counter() - started)
        years = Assessment.objects.filter(organisation_id=picked[0]).count()
    # The first render loads fonts and templates: reported apart from the others.
    print(
        f"report PDF {year} ({years} years of results, {len(pdf) // 1024} KiB): "
        f"first {times[0]:.2f} s, then {summary_ms(times[1:])}"
    )


def import_latest_year(chunk: int) -> None:
    """Export the latest year to .xlsx, delete it, import it again through the importer."""
    from ita.models import (
        Assessment,
        Framework,
        IndicatorResult,
        Organisation,
        QuestionScore,
        ToolResult,
    )
    from ita.services.results_import import parse_tables, results_import
    from ita.sheets import read_sheet_file
    from ita.sheets.export import assessments_for_export, export_xlsx

    year = Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)[0]
    latest = Assessment.objects.filter(framework__fiscal_year=year)

    def counts() -> tuple[int, ...]:
        return (
            latest.count(),
            ToolResult.objects.filter(assessment__in=latest).count(),
            IndicatorResult.objects.filter(assessment__in=latest).count(),
            QuestionScore.objects.filter(assessment__in=latest).count(),
        )

    before = counts()
    ids = list(latest.order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    files = [
        export_xlsx(assessments_for_export(Assessment.objects.filter(pk__in=ids[i : i + chunk])))
        for i in range(0, len(ids), chunk)
    ]
    exported = time.perf_counter() - started
    started = time.perf_counter()
    _raw_delete(latest)
    deleted = time.perf_counter() - started
    organisations = Organisation.objects.count()

    parse_time = save_time = 0.0
    for content in files:
        started = time.perf_counter()
        sheets = parse_tables(read_sheet_file("national.xlsx", content))
        parsed = time.perf_counter()
        results_import(sheets=sheets)
        parse_time += parsed - started
        save_time += time.perf_counter() - parsed
    after = counts()
    total = parse_time + save_time
    print(
        f"import {year}: {len(ids)} assessments in {len(files)} .xlsx files of {chunk} "
        f"worksheets ({sum(map(len, files)) / 1e6:.1f} MB); export {exported:.1f} s, "
        f"delete {deleted:.1f} s; read+parse {parse_time:.1f} s, validate+save "
        f"{save_time:.1f} s, total {total:.1f} s ({total / max(len(ids), 1) * 1000:.1f} ms "
        f"per assessment)"
    )
    print(
        f"rows before {before}, after {after}: "
        f"{'the same' if before == after else 'DIFFERENT'}; organisations unchanged: "
        f"{Organisation.objects.count() == organisations}"
    )


def _raw_delete(assessments) -> None:
    """Remove the year's rows without per-row signals (a benchmark's preparation only:
    the audit history of 8,000 deletions is not what is measured here)."""
    from ita.models import IndicatorResult, ItemResult, QuestionScore, ToolResult

    for model in (QuestionScore, ItemResult, IndicatorResult, ToolResult):
        rows = model.objects.filter(assessment__in=assessments)
        rows._raw_delete(rows.db)
    assessments._raw_delete(assessments.db)


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
