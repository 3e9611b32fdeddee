"""Sessions end after SESSION_IDLE_TIMEOUT without a request (shared office PCs)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from config.sessions import RENEW_EVERY, RENEWED_AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def somchai(db):
    return get_user_model().objects.create_user("somchai")


def _age_back(client, seconds: int) -> None:
    session = client.session
    session[RENEWED_AT] -= seconds
    session.save()


def test_session_lasts_a_working_day_from_login(client, somchai, settings):
    client.force_login(somchai)

    stored = Session.objects.get(session_key=client.session.session_key)
    left = (stored.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_IDLE_TIMEOUT == 8 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT - 60 < left <= settings.SESSION_IDLE_TIMEOUT


def test_session_is_renewed_by_a_request_after_a_while(client, somchai, settings):
    client.force_login(somchai)
    _age_back(client, RENEW_EVERY + 1)

    response = client.get(reverse("ita:home"))

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_IDLE_TIMEOUT
    assert time.time() - client.session[RENEWED_AT] < 5


def test_session_is_not_written_again_by_every_request(client, somchai, settings):
    client.force_login(somchai)

    response = client.get(reverse("ita:home"))

    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_session_idle_past_the_timeout_is_logged_out(client, somchai, settings):
    settings.SESSION_COOKIE_AGE = 2
    client.force_login(somchai)

    time.sleep(2.5)
    response = client.get(reverse("ita:home"))

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
