"""python manage.py generate_national [--organisations N] [--years M]: a national-size data set.

For benchmarks only (bench/bench_national.py): N fictional organisations × the latest M
years' frameworks, each assessment with overall, tool, indicator and question scores (one
per channel where the tool has channels). Written with bulk_create in batches, so it skips
the services' validation and the audit history on purpose: the rows are generated within
the frameworks' own codes. Names carry a "(bench)" mark; --delete removes them again.

--copy-frameworks: when fewer than M frameworks exist, the latest one is copied into the
following fiscal years (ita.services.framework_copy, names marked "(bench)") so that M years
can be measured; --delete removes those copies too.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ita.models import (
    AgencyType,
    Assessment,
    Framework,
    IndicatorResult,
    Organisation,
    Question,
    QuestionScore,
    RatingBand,
    Tool,
    ToolResult,
)
from ita.services import framework_copy

MARK = "(bench)"
BATCH = 5000
# Spread like the real ones: about 7,850 organisations over 76 provinces (about 100 each),
# two thirds of them อบต., most of the rest เทศบาลตำบล.
PROVINCES = ["สระแก้ว", "ขอนแก่น", "เชียงใหม่", "สงขลา", "นครราชสีมา", "ชลบุรี", "อุดรธานี"] + [
    f"จังหวัดจำลอง {n:02d}" for n in range(8, 77)
]
TYPES = (
    [AgencyType.SAO] * 17
    + [AgencyType.SUBDISTRICT_MUNICIPALITY] * 7
    + [AgencyType.TOWN_MUNICIPALITY]
)


def _score(rng: random.Random, low: int = 55) -> Decimal:
    return Decimal(rng.randint(low * 100, 10000)) / 100


def _level(bands: list[RatingBand], overall: Decimal) -> str:
    """The first band the overall reaches (tool minimums are ignored: benchmark data)."""
    return next((b.label for b in bands if overall >= b.min_overall), "")


class Command(BaseCommand):
    help = "Generate N fictional organisations × M years of question-level results (benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=8000)
        parser.add_argument("--years", type=int, default=8, help="latest M frameworks (capped)")
        parser.add_argument("--seed", type=int, default=2568)
        parser.add_argument(
            "--copy-frameworks",
            action="store_true",
            help="copy the latest framework into later years when fewer than M exist",
        )
        parser.add_argument("--delete", action="store_true", help="remove generated data only")

    def handle(self, *args: Any, organisations: int, years: int, seed: int, **opts: Any) -> None:
        if opts["delete"]:
            deleted = self._delete()
            self.stdout.write(f"Deleted {deleted} generated organisations.")
            return
        if organisations < 1 or years < 1:
            raise CommandError("--organisations and --years must be at least 1.")
        frameworks = list(Framework.objects.order_by("-fiscal_year")[:years])
        if len(frameworks) < years and opts["copy_frameworks"]:
            frameworks = self._copies(frameworks, years) + frameworks
        elif len(frameworks) < years:
            self.stderr.write(f"Only {len(frameworks)} frameworks exist; using all of them.")
        started = time.perf_counter()
        with transaction.atomic():
            counts = self._generate(organisations, frameworks, random.Random(seed))
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated {organisations} organisations × {len(frameworks)} years: "
            + ", ".join(f"{n} {name}" for name, n in counts.items())
            + f" in {elapsed:.1f} s."
        )

    def _copies(self, frameworks: list[Framework], years: int) -> list[Framework]:
        """Copies of the latest framework for the years after it, newest first."""
        latest = frameworks[0]
        copies = [
            framework_copy(
                source=latest, fiscal_year=latest.fiscal_year + n, name=f"{latest.name} {MARK}"
            )
            for n in range(1, years - len(frameworks) + 1)
        ]
        self.stderr.write(
            f"Copied fiscal year {latest.fiscal_year} into "
            + ", ".join(str(c.fiscal_year) for c in copies)
            + " (benchmark frameworks)."
        )
        return copies[::-1]

    def _delete(self) -> int:
        generated = Organisation.objects.filter(name__endswith=MARK)
        ids = list(generated.values_list("pk", flat=True))
        with transaction.atomic():
            QuestionScore.objects.filter(assessment__organisation__in=ids).delete()
            IndicatorResult.objects.filter(assessment__organisation__in=ids).delete()
            ToolResult.objects.filter(assessment__organisation__in=ids).delete()
            Assessment.objects.filter(organisation__in=ids).delete()
            generated.delete()
            Framework.objects.filter(name__endswith=MARK, assessments__isnull=True).delete()
        return len(ids)

    def _generate(
        self, count: int, frameworks: list[Framework], rng: random.Random
    ) -> dict[str, int]:
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"อปท.จำลอง {n:05d} {MARK}",
                    agency_type=TYPES[n % len(TYPES)],
                    district=f"อำเภอ {n % 900:03d}",
                    province=PROVINCES[n % len(PROVINCES)],
                )
                for n in range(1, count + 1)
            ],
            batch_size=BATCH,
        )
        totals = {"assessments": 0, "tool results": 0, "indicator results": 0, "questions": 0}
        for framework in frameworks:
            tools = list(Tool.objects.filter(framework=framework).prefetch_related("channels"))
            indicators = list(framework.indicators.all())
            questions = list(
                Question.objects.filter(indicator__framework=framework).select_related("indicator")
            )
            channels = {t.pk: list(t.channels.all()) or [None] for t in tools}
            bands = list(RatingBand.objects.filter(framework=framework).order_by("order"))
            overall = [_score(rng, 60) for _o in organisations]
            assessments = Assessment.objects.bulk_create(
                [
                    Assessment(
                        organisation=o,
                        framework=framework,
                        agency_type=o.agency_type,
                        published_overall=score,
                        published_level=_level(bands, score),
                    )
                    for o, score in zip(organisations, overall, strict=True)
                ],
                batch_size=BATCH,
            )
            totals["assessments"] += len(assessments)
            totals["tool results"] += self._bulk(
                ToolResult,
                (
                    ToolResult(assessment=a, tool=t, score=_score(rng))
                    for a in assessments
                    for t in tools
                ),
            )
            totals["indicator results"] += self._bulk(
                IndicatorResult,
                (
                    IndicatorResult(assessment=a, indicator=i, score=_score(rng))
                    for a in assessments
                    for i in indicators
                ),
            )
            totals["questions"] += self._bulk(
                QuestionScore,
                (
                    QuestionScore(assessment=a, question=q, channel=c, score=_score(rng, 40))
                    for a in assessments
                    for q in questions
                    for c in channels.get(q.indicator.tool_id, [None])
                ),
            )
        return totals

    @staticmethod
    def _bulk(model: Any, rows: Any) -> int:
        done, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                done, batch = done + len(batch), []
        if batch:
            model.objects.bulk_create(batch)
            done += len(batch)
        return done
