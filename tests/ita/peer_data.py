"""Random peer data for the peer tests: organisations' results on a coarse grid (ties
happen), saved through the real service."""

from __future__ import annotations

import random
from decimal import Decimal

from ita.models import AgencyType, Assessment, Framework
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save

PROVINCES = ("สระแก้ว", "จันทบุรี", "ตราด")
TYPES = (AgencyType.SAO, AgencyType.TOWN_MUNICIPALITY, AgencyType.SUBDISTRICT_MUNICIPALITY)
LEVELS = ("ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ไม่ผ่าน", "")


def random_results(rng: random.Random) -> ResultSet:
    """Scores on a coarse grid, so that ties happen; some indicators and levels left out."""
    indicators = {
        n: IndicatorValue(Decimal(rng.choice(range(60, 101, 5))))
        for n in range(1, 11)
        if rng.random() > 0.15
    }
    overall = Decimal(rng.choice(range(70, 101, 3))) if rng.random() > 0.1 else None
    return ResultSet(overall=overall, level=rng.choice(LEVELS), indicators=indicators)


def save(organisation, results: ResultSet, year: int = 2568) -> Assessment:
    return results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=year),
        agency_type=organisation.agency_type,
        results=results,
    )
