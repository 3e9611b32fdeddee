from __future__ import annotations

import pytest
from django.db import OperationalError
from django.urls import reverse

from config import health


@pytest.mark.django_db
def test_healthz_reports_the_database_up_in_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    response = client.post("/healthz/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_wait_for_database_returns_once_the_database_answers():
    clock = FakeClock()
    answers = iter([False, False, True])

    ready = health.wait_for_database(
        timeout=10, probe=lambda: next(answers), sleep=clock.sleep, clock=clock
    )

    assert ready is True
    assert clock.now == 2.0


def test_wait_for_database_gives_up_after_the_timeout():
    clock = FakeClock()
    attempts = []

    ready = health.wait_for_database(
        timeout=5,
        interval=2,
        probe=lambda: attempts.append(clock.now) or False,
        sleep=clock.sleep,
        clock=clock,
    )

    assert ready is False
    assert attempts == [0.0, 2.0, 4.0, 6.0]


def test_health_main_rejects_an_unknown_command(capsys):
    assert health.main(["migrate"]) == 2
    assert "usage: python -m config.health wait-for-database" in capsys.readouterr().err
