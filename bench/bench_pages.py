"""CPU per request of the analysis, report, plan and peers pages against a minimal view.

    .venv/bin/python bench/bench_pages.py [--rounds 5] [--requests 20] [--years 10]
        [--organisations 3] [--peer-requests 100] [--database-url postgres://.../bench_x]

The figure of record is CPU time per request: this process's (time.process_time, which on
SQLite includes the database) plus, on PostgreSQL on this machine, the connection's backend
process (/proc/<pid>/stat). Wall time on a shared machine says more about the neighbours.
Each page is set against /bench-minimal/ (a view returning "ok" behind the same middleware
and login, bench/urls_minimal.py), measured just before it in the same round; the ratio
minimal CPU / page CPU is the page's share of the minimal view's throughput. Every figure
is taken in --rounds rounds of --requests requests and given as min and median over the
rounds. Queries are counted with connection.execute_wrapper (no 9,000 cap).

Data: generate_national with --organisations organisations × --years years (question level;
frameworks past 2568 are benchmark copies). The first organisation keeps only its latest
year (the "1 year" pages), the second has every year; plans of 1, 5 and 100 actions are
drawn from the latest year of the first three. The peers page is measured over
--peer-requests organisations at random (p50/p95 wall and CPU); give --organisations 8000
--years 8 and a PostgreSQL --database-url for the national figure. Pages are measured warm
(one visit first): what a cache keeps is what is measured.

Default database: a throw-away SQLite file; --database-url must name a bench_* database,
which is migrated and filled in place. Prints one summary line per figure with its target;
nothing passes or fails.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import (
    BackendCpu,
    django_setup,
    machine,
    measured_get,
    migrate,
    percentile,
    superuser_client,
)

TARGET_RATIO = 0.2
TARGET_GROWTH = 1.2
TARGET_PEERS_P95_MS = 60.0


@dataclass
class Figure:
    label: str
    url: str
    cpu: list[float] = field(default_factory=list)  # per round: mean CPU s per request
    minimal: list[float] = field(default_factory=list)  # the paired minimal view's
    wall: list[float] = field(default_factory=list)  # every request's wall time
    queries: set[int] = field(default_factory=set)
    statuses: set[int] = field(default_factory=set)

    @property
    def ratios(self) -> list[float]:
        return [m / c for m, c in zip(self.minimal, self.cpu, strict=True) if c]

    def line(self) -> str:
        return (
            f"{self.label:30} CPU/request min {min(self.cpu) * 1000:7.2f} ms "
            f"median {statistics.median(self.cpu) * 1000:7.2f} ms  "
            f"minimal {statistics.median(self.minimal) * 1000:5.2f} ms  "
            f"ratio median {statistics.median(self.ratios):.3f} (min {min(self.ratios):.3f})  "
            f"queries {sorted(self.queries)}  status {sorted(self.statuses)}"
        )


def measure(client, backend: BackendCpu, url: str, requests: int) -> tuple[float, list]:
    """Mean CPU s per request (process + backend) over `requests` GETs, and their details."""
    results = [measured_get(client, url, backend) for _ in range(requests)]
    cpu = sum(r[1] + r[2] for r in results) / len(results)
    return cpu, results


def run_rounds(client, backend: BackendCpu, figures: list[Figure], rounds: int, n: int) -> None:
    for figure in figures:  # warm: templates, session, and whatever the page caches
        measured_get(client, figure.url, backend)
    measured_get(client, "/bench-minimal/", backend)
    for _ in range(rounds):
        for figure in figures:
            minimal, _details = measure(client, backend, "/bench-minimal/", n)
            cpu, details = measure(client, backend, figure.url, n)
            figure.minimal.append(minimal)
            figure.cpu.append(cpu)
            figure.wall += [d[0] for d in details]
            figure.queries |= {d[4] for d in details}
            figure.statuses |= {d[3] for d in details}


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--organisations", type=int, default=3)
    parser.add_argument("--peer-requests", type=int, default=100)
    parser.add_argument("--database-url")
    parser.add_argument("--keep-data", action="store_true", help="reuse the generated data")
    args = parser.parse_args()
    if args.database_url and not args.database_url.rsplit("/", 1)[-1].startswith("bench_"):
        parser.error("the database's name must start with bench_")
    scratch = tempfile.TemporaryDirectory()
    django_setup(args.database_url or f"sqlite:///{Path(scratch.name) / 'bench.sqlite3'}")
    from django.conf import settings

    settings.ROOT_URLCONF = "urls_minimal"
    migrate()

    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from ita.models import Assessment, Framework, Organisation

    generated = Organisation.objects.filter(name__endswith="(bench)")
    started = time.perf_counter()
    if not (args.keep_data and generated.count() >= args.organisations):
        call_command(
            "generate_national",
            organisations=args.organisations,
            years=args.years,
            copy_frameworks=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    print(f"data: {time.perf_counter() - started:.1f} s")
    first, second, third = list(generated.order_by("pk")[:3])
    latest = Framework.objects.order_by("-fiscal_year").first()
    Assessment.objects.filter(organisation=first).exclude(framework=latest).delete()
    years = Assessment.objects.filter(organisation=second).count()
    plans = {
        size: _plan(organisation, latest, size)
        for organisation, size in ((first, 1), (second, 5), (third, 100))
    }

    client = superuser_client()
    backend = BackendCpu()
    print(f"Machine: {machine()}; database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"DB backend CPU measured: {backend.measurable}; rounds {args.rounds} × {args.requests}")

    def page(label: str, name: str, *url_args: object) -> Figure:
        return Figure(label, reverse(name, args=url_args))

    year = latest.fiscal_year
    figures = {
        "dashboard:1": page("dashboard, 1 year", "ita:dashboard", first.pk),
        "dashboard:n": page(f"dashboard, {years} years", "ita:dashboard", second.pk),
        "comparison:1": page("comparison, 1 year", "ita:compare", first.pk),
        "comparison:n": page(f"comparison, {years} years", "ita:compare", second.pk),
        "indicator:1": page("indicator, 1 year", "ita:indicator", first.pk, 8),
        "indicator:n": page(f"indicator, {years} years", "ita:indicator", second.pk, 8),
        "report:1": page("report page, 1 year", "documents:report", first.pk, year),
        "report:n": page(f"report page, {years} years", "documents:report", second.pk, year),
        "plan:1": page("plan detail, 1 action", "plans:plan-detail", plans[1]),
        "plan:5": page("plan detail, 5 actions", "plans:plan-detail", plans[5]),
        "plan:100": page("plan detail, 100 actions", "plans:plan-detail", plans[100]),
    }
    run_rounds(client, backend, list(figures.values()), args.rounds, args.requests)
    for figure in figures.values():
        print(figure.line())

    peers = _peers(client, backend, latest, args.peer_requests)

    print()
    print("Summary (CPU per request, medians over rounds; targets from issue 17)")
    for key, name in (
        ("dashboard", "dashboard"),
        ("comparison", "comparison"),
        ("indicator", "indicator"),
        ("report", "report page"),
    ):
        one, many = figures[f"{key}:1"], figures[f"{key}:n"]
        ratio = statistics.median(many.ratios)
        growth = statistics.median(many.cpu) / statistics.median(one.cpu)
        print(
            f"{name:12} {years} years: ratio {ratio:.3f} (target >= {TARGET_RATIO}: "
            f"{verdict(ratio >= TARGET_RATIO)}); 1 -> {years} years x{growth:.2f} "
            f"(target <= {TARGET_GROWTH}: {verdict(growth <= TARGET_GROWTH)})"
        )
    ratio = statistics.median(figures["plan:5"].ratios)
    growth = statistics.median(figures["plan:100"].cpu) / statistics.median(figures["plan:1"].cpu)
    print(
        f"plan detail  5 actions: ratio {ratio:.3f} (target >= {TARGET_RATIO}: "
        f"{verdict(ratio >= TARGET_RATIO)}); 1 -> 100 actions x{growth:.2f} "
        f"(target <= {TARGET_GROWTH}: {verdict(growth <= TARGET_GROWTH)})"
    )
    if peers is not None:
        organisations = Organisation.objects.count()
        p95 = percentile(peers, 95) * 1000
        scale = "" if organisations >= 8000 else ", not at scale"
        print(
            f"peers        {organisations} organisations: p95 {p95:.1f} ms wall "
            f"(target < {TARGET_PEERS_P95_MS:.0f} ms at 8,000 x 8: "
            f"{verdict(p95 < TARGET_PEERS_P95_MS)}{scale})"
        )
    scratch.cleanup()


def _plan(organisation, framework, actions: int) -> int:
    """A draft plan of `actions` actions from the organisation's latest year; its pk."""
    from ita.models import Assessment, Indicator
    from plans.models import Plan
    from plans.services import action_create, plan_create

    assessment = Assessment.objects.get(organisation=organisation, framework=framework)
    plan = Plan.objects.filter(assessment=assessment).first()
    if plan is not None:
        return plan.pk
    plan = plan_create(organisation=organisation, assessment=assessment)
    indicators = list(Indicator.objects.filter(framework=framework).order_by("number"))
    for n in range(actions):
        action_create(
            plan=plan,
            indicator=indicators[n % len(indicators)],
            finding=f"คะแนนตัวชี้วัดที่ {indicators[n % len(indicators)].number} ต่ำกว่าเกณฑ์",
            measure=f"มาตรการที่ {n + 1}: ทบทวนและเผยแพร่ข้อมูลให้ครบถ้วน",
        )
    return plan.pk


def _peers(client, backend: BackendCpu, framework, requests: int) -> list[float] | None:
    """The peers page of random organisations of the latest year: wall times."""
    from django.urls import reverse

    from ita.models import Assessment

    try:
        from ita.peers.services import peers_refresh
    except ImportError:  # before the peer aggregates were stored
        peers_refresh = None
    if peers_refresh is not None:
        started = time.perf_counter()
        cpu = time.process_time()
        peers_refresh(framework_id=framework.pk, force=True)  # measured even when current
        print(
            f"peers refresh of {framework.fiscal_year} (one pass): "
            f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU"
        )
    ids = list(
        Assessment.objects.filter(framework=framework).values_list("organisation_id", flat=True)
    )
    chosen = random.Random(17).choices(ids, k=requests)
    measured_get(client, reverse("ita:peers", args=[chosen[0]]), backend)  # warm
    details = [measured_get(client, reverse("ita:peers", args=[pk]), backend) for pk in chosen]
    walls = [d[0] for d in details]
    cpu = [d[1] + d[2] for d in details]
    print(
        f"{'peers':30} wall p50 {percentile(walls, 50) * 1000:7.1f} ms "
        f"p95 {percentile(walls, 95) * 1000:7.1f} ms  CPU/request median "
        f"{statistics.median(cpu) * 1000:7.2f} ms (total {sum(cpu) / len(cpu) * 1000:.2f} mean)  "
        f"queries {sorted({d[4] for d in details})}  status {sorted({d[3] for d in details})}"
    )
    return walls


if __name__ == "__main__":
    main()
