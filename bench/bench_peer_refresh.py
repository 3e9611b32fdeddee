"""The peer rows' refresh after one entry, against the whole year's pass, in the same run.

    .venv/bin/python bench/bench_peer_refresh.py [--organisations 8000] [--rounds 5]
        [--database-url postgres://.../bench_x]

Each round times, on a year of --organisations assessments (`generate_national --years 1`,
built once and kept), three commits and their peer refresh:

- whole: `peers_refresh(force=True)`, the one pass an import makes;
- edit: one assessment's entry changed (two indicator scores moved 5 points and the
  overall 1 point, written with the ORM in one transaction, `peers_touch` as
  `results_save` calls it), the refresh running on commit;
- move: one organisation moved to another province (`Organisation.save()`, whose signal
  touches its years), the refresh on commit.

Before the incremental refresh (`ita.peers.changes`) the last two ran the whole pass on
commit. Figures per commit: wall, CPU (this process + the PostgreSQL backend, from /proc),
queries; min and median over rounds. Prints what each refresh did ("changed", "whole").
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from common import BackendCpu, QueryCounter, django_setup, machine, migrate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url and not args.database_url.rsplit("/", 1)[-1].startswith("bench_"):
        parser.error("the database's name must start with bench_")
    scratch = tempfile.TemporaryDirectory()
    django_setup(args.database_url or f"sqlite:///{Path(scratch.name) / 'bench.sqlite3'}")
    migrate()

    from django.core.management import call_command
    from django.db import connection

    from ita.models import Assessment, Framework, Organisation

    generated = Organisation.objects.filter(name__endswith="(bench)")
    if generated.count() < args.organisations:
        started = time.perf_counter()
        call_command("generate_national", delete=True, stdout=io.StringIO())
        call_command(
            "generate_national",
            organisations=args.organisations,
            years=1,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        print(f"data: {time.perf_counter() - started:.1f} s")
    framework = Framework.objects.order_by("-fiscal_year").first()
    assessments = Assessment.objects.filter(framework=framework).count()
    provinces = sorted(set(generated.values_list("province", flat=True)))
    backend = BackendCpu()
    print(f"Machine: {machine()}; database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"Year {framework.fiscal_year}: {assessments} assessments, {len(provinces)} provinces")

    from ita.peers import services

    outcomes: list[str] = []
    try:
        from ita.peers import changes

        incremental = changes.peers_refresh_changed

        def spied(**kwargs):
            outcomes.append(incremental(**kwargs))
            return outcomes[-1]

        changes.peers_refresh_changed = spied
    except ImportError:  # before the incremental refresh: every commit's is the whole pass
        changes = None
    whole = services.peers_refresh

    def whole_spied(**kwargs):
        outcomes.append("whole")
        return whole(**kwargs)

    services.peers_refresh = whole_spied

    def timed(action) -> tuple[float, float, int, str]:
        """(wall s, CPU s, queries, refresh outcomes) of one action and its commit."""
        outcomes.clear()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            db, cpu, started = backend.seconds(), time.process_time(), time.perf_counter()
            action()
            wall = time.perf_counter() - started
            cpu = time.process_time() - cpu + backend.seconds() - db
        return wall, cpu, counter.count, "+".join(outcomes) or "-"

    rng = random.Random(17)
    ids = list(Assessment.objects.filter(framework=framework).values_list("pk", flat=True))
    whole(framework_id=framework.pk, force=True)  # current before the first edit
    figures: dict[str, list[tuple[float, float, int, str]]] = {"whole": [], "edit": [], "move": []}
    for _round in range(args.rounds):
        figures["whole"].append(
            timed(lambda: services.peers_refresh(framework_id=framework.pk, force=True))
        )
        chosen = Assessment.objects.get(pk=rng.choice(ids))
        figures["edit"].append(timed(lambda a=chosen: _edit(a, rng)))
        moved = Assessment.objects.select_related("organisation").get(pk=rng.choice(ids))
        moved = moved.organisation
        moved.province = rng.choice([p for p in provinces if p != moved.province])
        figures["move"].append(timed(moved.save))

    print()
    for label, runs in figures.items():
        walls = [r[0] for r in runs]
        cpus = [r[1] for r in runs]
        print(
            f"{label:6} wall min {min(walls) * 1000:8.1f} ms median "
            f"{statistics.median(walls) * 1000:8.1f} ms  CPU min {min(cpus) * 1000:8.1f} ms "
            f"median {statistics.median(cpus) * 1000:8.1f} ms  queries "
            f"{sorted({r[2] for r in runs})}  refresh {sorted({r[3] for r in runs})}"
        )
    whole_cpu = statistics.median(r[1] for r in figures["whole"])
    for label in ("edit", "move"):
        cpu = statistics.median(r[1] for r in figures[label])
        print(f"{label}: median CPU {cpu / whole_cpu:.3f} of the whole pass's")
    scratch.cleanup()


def _edit(assessment, rng: random.Random) -> None:
    """Two indicator scores moved 5 points and the overall 1, in one transaction."""
    from django.db import transaction

    from ita.models import Assessment, IndicatorResult
    from ita.peers.services import peers_touch

    with transaction.atomic():
        results = list(
            IndicatorResult.objects.filter(assessment=assessment, score__isnull=False)
            .select_for_update()
            .order_by("pk")
        )
        for result in rng.sample(results, min(2, len(results))):
            moved = result.score + rng.choice((-5, 5))
            result.score = min(max(moved, Decimal(0)), Decimal(100))
            result.save(update_fields=["score"])
        if assessment.published_overall is not None:
            overall = assessment.published_overall
            overall += 1 if overall < 100 else -1
            Assessment.objects.filter(pk=assessment.pk).update(published_overall=overall)
        try:
            peers_touch(framework_id=assessment.framework_id, assessment_ids=[assessment.pk])
        except TypeError:  # before the touch named its assessments
            peers_touch(framework_id=assessment.framework_id)


if __name__ == "__main__":
    main()
