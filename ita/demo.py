"""Demo data: the reference organisation's FY 2568 results and fictional organisations.

Khlong Hin Pun's numbers are copied from its published analysis document (see
ita/demo_data/). The second organisation is invented so that history and comparison pages
have several years to show, and a dozen more in its invented province give the peers page
something to compare with; their names say they are fictional.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from ita.models import AgencyType, Assessment, Framework, Organisation, Question
from ita.queries import framework_bands
from ita.results import IndicatorValue, ItemValue, ResultSet
from ita.scoring import (
    AssessmentInput,
    ChannelScore,
    IndicatorInput,
    ToolInput,
    evaluate,
    round_score,
)
from ita.services import organisation_upsert, results_save

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
FICTIONAL_NAME = "เทศบาลตำบลบ้านสาธิต (ข้อมูลสมมติ)"
FICTIONAL_PROVINCE = "สาธิต"

# Peers of the fictional organisation in its province: (name, type, typical overall score).
FICTIONAL_PEERS = [
    ("องค์การบริหารส่วนตำบลทุ่งสาธิต (ข้อมูลสมมติ)", AgencyType.SAO, 95),
    ("องค์การบริหารส่วนตำบลหนองสาธิต (ข้อมูลสมมติ)", AgencyType.SAO, 91),
    ("องค์การบริหารส่วนตำบลบ่อสาธิต (ข้อมูลสมมติ)", AgencyType.SAO, 87),
    ("องค์การบริหารส่วนตำบลห้วยสาธิต (ข้อมูลสมมติ)", AgencyType.SAO, 83),
    ("องค์การบริหารส่วนตำบลโคกสาธิต (ข้อมูลสมมติ)", AgencyType.SAO, 79),
    ("องค์การบริหารส่วนตำบลดอนสาธิต (ข้อมูลสมมติ)", AgencyType.SAO, 92),
    ("องค์การบริหารส่วนตำบลนาสาธิต (ข้อมูลสมมติ)", AgencyType.SAO, 74),
    ("เทศบาลตำบลป่าสาธิต (ข้อมูลสมมติ)", AgencyType.SUBDISTRICT_MUNICIPALITY, 94),
    ("เทศบาลตำบลเขาสาธิต (ข้อมูลสมมติ)", AgencyType.SUBDISTRICT_MUNICIPALITY, 89),
    ("เทศบาลตำบลคลองสาธิต (ข้อมูลสมมติ)", AgencyType.SUBDISTRICT_MUNICIPALITY, 86),
    ("เทศบาลตำบลท่าสาธิต (ข้อมูลสมมติ)", AgencyType.SUBDISTRICT_MUNICIPALITY, 96),
    ("เทศบาลเมืองสาธิต (ข้อมูลสมมติ)", AgencyType.TOWN_MUNICIPALITY, 90),
]
PEER_YEARS = (2566, 2567, 2568)
# How far each indicator usually sits from an organisation's overall (OIT and the
# anti-corruption indicators are where organisations differ most).
INDICATOR_OFFSETS = (5, 6, 6, 2, 3, 1, -1, -2, 1, -6)

# Indicator 1–10 scores of the fictional organisation, one row a year: rising overall,
# with dips (indicators 7 and 10 in 2568) so the analysis pages have something to flag.
FICTIONAL_INDICATORS = {
    2563: [
        "78.50",
        "80.12",
        "82.30",
        "70.45",
        "65.20",
        "72.80",
        "68.90",
        "66.40",
        "55.00",
        "40.00",
    ],
    2564: [
        "84.10",
        "85.60",
        "86.20",
        "79.90",
        "74.30",
        "80.20",
        "77.50",
        "75.80",
        "72.50",
        "62.50",
    ],
    2565: [
        "88.40",
        "90.10",
        "91.20",
        "85.30",
        "83.90",
        "86.70",
        "84.20",
        "82.90",
        "86.00",
        "75.00",
    ],
    2566: [
        "91.20",
        "93.40",
        "94.00",
        "88.70",
        "89.50",
        "89.90",
        "87.60",
        "86.80",
        "92.00",
        "87.50",
    ],
    2567: [
        "93.50",
        "95.10",
        "95.80",
        "90.20",
        "92.40",
        "91.70",
        "89.80",
        "88.90",
        "95.50",
        "90.00",
    ],
}
# 2568 at question level: IIT i1..i15, EIT e1..e9 as (public, survey).
FICTIONAL_2568_IIT = [
    "95.10", "96.40", "97.20", "96.80", "98.10", "97.50", "97.90", "98.60", "99.10",
    "86.20", "90.40", "88.30", "93.70", "94.20", "92.80",
]  # fmt: skip
FICTIONAL_2568_EIT = [
    ("90.10", "93.00"), ("91.40", "92.00"), ("96.20", "97.00"),
    ("84.30", "88.00"), ("86.90", "87.00"), ("85.10", "89.00"),
    ("88.20", "90.00"), ("89.70", "91.00"), ("87.40", "90.00"),
]  # fmt: skip
FICTIONAL_2568_OIT = {9: Decimal("96.50"), 10: Decimal("85.00")}
FICTIONAL_2568_ITEMS = {
    "o10": ItemValue(Decimal("50.00"), "partial", "E-Service ยังไม่ครอบคลุมงานบริการหลัก"),
    "o24": ItemValue(Decimal("0.00"), "fail", "ไม่พบรายงานผลการจัดการความเสี่ยงการทุจริต"),
    "o27": ItemValue(Decimal("50.00"), "partial", "มาตรการยังไม่ระบุผู้รับผิดชอบและระยะเวลา"),
}

# 2569, the year the demo's cycle story judges the 2569 plan by: some of its measures'
# indicators rose, some stayed, some fell (5 fell although its measure was done).
FICTIONAL_2569_INDICATORS = [
    "96.80", "97.90", "98.70", "92.10", "91.90", "93.50", "85.00", "89.80", "97.00", "88.00",
]  # fmt: skip
FICTIONAL_2569_ITEMS = {
    "o10": ItemValue(Decimal("75.00"), "partial", "E-Service ครอบคลุมงานบริการหลักบางส่วน"),
    "o24": ItemValue(Decimal("100.00"), "pass", ""),
    "o25": ItemValue(Decimal("50.00"), "partial", "ยังไม่รายงานผลการนำผลการประเมินไปพัฒนา"),
}


@dataclass(frozen=True)
class DemoSummary:
    organisations: list[Organisation]
    assessments: list[Assessment]


def reference_data() -> dict[str, Any]:
    with (DATA_DIR / "khlong_hin_pun_2568.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def reference_results(data: dict[str, Any]) -> ResultSet:
    public, survey = data["channels"]
    questions: dict[tuple[str, str | None], Decimal] = {
        (code, None): Decimal(score) for code, score in data["questions"].items()
    }
    for code, (pub, sur) in data["channel_questions"].items():
        questions[(code, public)] = Decimal(pub)
        questions[(code, survey)] = Decimal(sur)
    return ResultSet(
        overall=Decimal(data["overall"]),
        level=data["level"],
        indicators={
            int(n): IndicatorValue(Decimal(score), data["analysis"].get(n, ""))
            for n, score in data["indicators"].items()
        },
        questions=questions,
        items={
            code: ItemValue(Decimal(item["score"]), item["status"], item["reason"])
            for code, item in data["items"].items()
        },
    )


def _published_from_computed(framework: Framework, results: ResultSet) -> ResultSet:
    """Fill a fictional year's overall and level the way the NACC would publish them."""
    tools = list(framework.tools.all())
    tool_of = {i.number: i.tool.code for i in framework.indicators.select_related("tool")}
    questions_by_indicator: dict[int, list[ChannelScore]] = {}
    question_indicator = {
        q.code: q.indicator.number
        for q in Question.objects.filter(indicator__framework=framework).select_related("indicator")
    }
    for (code, channel), score in results.questions.items():
        questions_by_indicator.setdefault(question_indicator[code], []).append(
            ChannelScore(code, channel, score)
        )
    scores = evaluate(
        AssessmentInput(
            tools=[ToolInput(t.code, t.weight, t.aggregation) for t in tools],
            indicators=[
                IndicatorInput(
                    number=n,
                    tool=tool_of[n],
                    published=value.score,
                    questions=questions_by_indicator.get(n, ()),
                )
                for n, value in results.indicators.items()
            ],
            bands=framework_bands(framework),
        )
    )
    assert scores.overall.computed is not None
    results.overall = round_score(scores.overall.computed)
    results.level = scores.computed_level or ""
    return results


def fictional_peer_results(framework: Framework, name: str, typical: int) -> ResultSet:
    """Published indicator scores of a fictional peer: its typical level, a yearly drift and
    noise, the same on every load (seeded by name and year)."""
    rng = random.Random(f"{name}|{framework.fiscal_year}")
    drift = (framework.fiscal_year - PEER_YEARS[-1]) * rng.uniform(0.5, 2.0)
    indicators = {}
    for number, offset in enumerate(INDICATOR_OFFSETS, start=1):
        value = typical + drift + offset + rng.gauss(0, 3)
        indicators[number] = IndicatorValue(round_score(Decimal(str(min(max(value, 30), 100)))))
    return _published_from_computed(framework, ResultSet(indicators=indicators))


def fictional_results(framework: Framework) -> ResultSet:
    year = framework.fiscal_year
    if year in FICTIONAL_INDICATORS:
        results = ResultSet(
            indicators={
                n: IndicatorValue(Decimal(s))
                for n, s in enumerate(FICTIONAL_INDICATORS[year], start=1)
            }
        )
        return _published_from_computed(framework, results)

    questions: dict[tuple[str, str | None], Decimal] = {}
    for i, score in enumerate(FICTIONAL_2568_IIT, start=1):
        questions[(f"i{i}", None)] = Decimal(score)
    for i, (public, survey) in enumerate(FICTIONAL_2568_EIT, start=1):
        questions[(f"e{i}", "public")] = Decimal(public)
        questions[(f"e{i}", "survey")] = Decimal(survey)
    indicators: dict[int, IndicatorValue] = {}
    for n in range(1, 9):
        codes = [f"i{k}" for k in range(3 * n - 2, 3 * n + 1)] if n <= 5 else None
        if codes:
            mean = sum(questions[(c, None)] for c in codes) / 3
        else:
            e = [f"e{k}" for k in range(3 * (n - 5) - 2, 3 * (n - 5) + 1)]
            public = sum(questions[(c, "public")] for c in e) / 3
            survey = sum(questions[(c, "survey")] for c in e) / 3
            mean = (public + survey) / 2
        indicators[n] = IndicatorValue(round_score(mean))
    for n, score in FICTIONAL_2568_OIT.items():
        indicators[n] = IndicatorValue(score)
    results = ResultSet(
        indicators=indicators, questions=questions, items=dict(FICTIONAL_2568_ITEMS)
    )
    return _published_from_computed(framework, results)


@transaction.atomic
def fictional_2569_load() -> Assessment:
    """The fictional organisation's 2569 results (idempotent), for the yearly-cycle demo.

    Kept apart from `demo_load` so that pages and tests built on the six earlier years do
    not change; `load_demo` adds it.
    """
    fictional = Organisation.objects.get(name=FICTIONAL_NAME)
    framework = Framework.objects.get(fiscal_year=2569)
    results = ResultSet(
        indicators={
            n: IndicatorValue(Decimal(score))
            for n, score in enumerate(FICTIONAL_2569_INDICATORS, start=1)
        },
        items=dict(FICTIONAL_2569_ITEMS),
    )
    return results_save(
        organisation=fictional,
        framework=framework,
        agency_type=AgencyType.SUBDISTRICT_MUNICIPALITY,
        results=_published_from_computed(framework, results),
        note="ข้อมูลสมมติเพื่อการสาธิต / fictional demo data",
    )


@transaction.atomic
def demo_load(*, peers: bool = True) -> DemoSummary:
    """Create or refresh the demo organisations and their results (idempotent).

    `peers=False` leaves out the fictional province's dozen peers (quicker, for tests that
    need only the two main organisations).
    """
    data = reference_data()
    org = data["organisation"]
    reference = organisation_upsert(
        name=org["name"],
        district=org["district"],
        province=org["province"],
        agency_type=org["agency_type"],
    )
    assessments = [
        results_save(
            organisation=reference,
            framework=Framework.objects.get(fiscal_year=data["fiscal_year"]),
            agency_type=org["agency_type"],
            results=reference_results(data),
            note=data["source"],
        )
    ]

    fictional = organisation_upsert(
        name=FICTIONAL_NAME,
        district="สาธิต",
        province=FICTIONAL_PROVINCE,
        agency_type=AgencyType.SUBDISTRICT_MUNICIPALITY,
    )
    for framework in Framework.objects.filter(fiscal_year__range=(2563, 2568)):
        # Upgraded from อบต. to เทศบาลตำบล in 2566: the type is stored per year.
        agency_type = (
            AgencyType.SAO if framework.fiscal_year < 2566 else AgencyType.SUBDISTRICT_MUNICIPALITY
        )
        assessments.append(
            results_save(
                organisation=fictional,
                framework=framework,
                agency_type=agency_type,
                results=fictional_results(framework),
                note="ข้อมูลสมมติเพื่อการสาธิต / fictional demo data",
            )
        )
    organisations = [reference, fictional]
    for name, agency_type, typical in FICTIONAL_PEERS if peers else []:
        peer = organisation_upsert(
            name=name, district="สาธิต", province=FICTIONAL_PROVINCE, agency_type=agency_type
        )
        organisations.append(peer)
        for framework in Framework.objects.filter(fiscal_year__in=PEER_YEARS):
            assessments.append(
                results_save(
                    organisation=peer,
                    framework=framework,
                    agency_type=agency_type,
                    results=fictional_peer_results(framework, name, typical),
                    note="ข้อมูลสมมติเพื่อการสาธิต / fictional demo data",
                )
            )
    return DemoSummary(organisations=organisations, assessments=assessments)
