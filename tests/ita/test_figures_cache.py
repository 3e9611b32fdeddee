"""The figures cache (`ita.queries.cached_year_figures`) on the embedded default (local
memory) and on a real Redis (docker-compose.yml's; skipped when none answers on
127.0.0.1:6379): figures computed once per data version, equal to computing them afresh,
and a write's new version never finds the old entry."""

from __future__ import annotations

import socket
import uuid
from decimal import Decimal

import pytest
from django.core.cache import caches

from ita.models import Framework, Indicator
from ita.queries import (
    cached_year_figures,
    figures_key,
    organisation_assessments,
    organisation_years,
    year_figures,
)
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from ita.services.narratives import narratives_save
from tests.ita.sheet_data import save_khp

pytestmark = pytest.mark.django_db

REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def figures_cache(request, settings):
    if request.param == "locmem":
        backend = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
            "TIMEOUT": None,
        }
    else:
        if not redis_answers():
            pytest.skip("no Redis answers on 127.0.0.1:6379 (docker compose up redis)")
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{REDIS[0]}:{REDIS[1]}/0",
            # A prefix of its own: the test removes its keys, never the shared database's.
            "KEY_PREFIX": f"ita-test-{uuid.uuid4().hex}",
            "TIMEOUT": None,
        }
    settings.CACHES = {**settings.CACHES, "figures": backend}
    cache = caches["figures"]
    yield cache
    if request.param == "redis":
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{backend['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)


def fresh(organisation):
    return [year_figures(a) for a in organisation_assessments(organisation)]


def test_cached_figures_equal_fresh_ones_and_are_read_without_detail_queries(
    figures_cache, django_assert_num_queries
):
    assessment = save_khp(2568)
    organisation = assessment.organisation
    results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=2567),
        agency_type="sao",
        results=ResultSet(
            overall=Decimal("91.50"),
            level="ผ่านดี",
            indicators={n: IndicatorValue(Decimal("91.50")) for n in range(1, 11)},
        ),
    )

    with django_assert_num_queries(8):  # the assessments, then their details once
        first = organisation_years(organisation)
    with django_assert_num_queries(1):  # the assessments with their versions, nothing more
        second = organisation_years(organisation)

    assert first == second == fresh(organisation)
    assert [y.fiscal_year for y in second] == [2567, 2568]
    assert figures_cache.get(figures_key(organisation_assessments(organisation)[1])) == first[1]


def test_a_write_moves_the_key_and_the_new_figures_are_computed(figures_cache):
    assessment = save_khp(2568)
    organisation = assessment.organisation
    organisation_years(organisation)
    old_key = figures_key(organisation_assessments(organisation)[0])

    narratives_save(assessment=assessment, texts={3: "ข้อความวิเคราะห์ใหม่"})

    current = organisation_assessments(organisation)[0]
    assert figures_key(current) != old_key
    assert figures_cache.get(old_key) is not None  # left to be evicted, never read again
    (year,) = organisation_years(organisation)
    assert year.indicators[2].analysis == "ข้อความวิเคราะห์ใหม่"
    assert [year] == fresh(organisation)


def test_a_framework_edit_moves_every_key_of_its_year(figures_cache):
    assessment = save_khp(2568)
    organisation = assessment.organisation
    (before,) = cached_year_figures(organisation_assessments(organisation))
    old_key = figures_key(organisation_assessments(organisation)[0])

    indicator = Indicator.objects.get(framework__fiscal_year=2568, number=1)
    indicator.name_th = "ชื่อตัวชี้วัดใหม่"
    indicator.save()

    assert figures_key(organisation_assessments(organisation)[0]) != old_key
    (after,) = organisation_years(organisation)
    assert before.indicators[0].name != "ชื่อตัวชี้วัดใหม่"
    assert after.indicators[0].name == "ชื่อตัวชี้วัดใหม่"
    framework = Framework.objects.get(fiscal_year=2568)
    framework.improve_below = Decimal("85.00")
    framework.save()
    (moved,) = organisation_years(organisation)
    assert moved.lines.improve_below == Decimal("85.00")


def test_no_assessment_reads_nothing_from_the_cache(figures_cache, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert cached_year_figures([]) == []
