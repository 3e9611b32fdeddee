"""Throttles that work behind the proxy: per client address from X-Forwarded-For, spraying many
usernames from one address, and password-reset mails per address and per account."""

from __future__ import annotations

import pytest
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from config.limits import hit

pytestmark = pytest.mark.django_db
PASSWORD = "right-pass-1234"
PROXY = "172.18.0.5"  # REMOTE_ADDR of every request: the nginx container


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    """What TRUSTED_PROXY_COUNT=1 sets (tests/test_settings.py checks the mapping)."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    reset()
    yield
    reset()


@pytest.fixture
def somchai(db):
    return get_user_model().objects.create_user(
        "somchai", email="somchai@example.go.th", password=PASSWORD
    )


def _login(client, username: str, password: str, forwarded_for: str):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_throttle_lockout_behind_the_proxy_is_per_client_not_for_everyone(client, somchai):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = _login(client, "somchai", "wrong", "203.0.113.7")

    from_the_office = _login(client, "somchai", PASSWORD, "198.51.100.20")

    assert locked.status_code == 429
    assert from_the_office.status_code == 302
    assert client.session["_auth_user_id"] == str(somchai.pk)


def test_throttle_ignores_addresses_a_client_writes_into_x_forwarded_for(client, somchai):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The attacker prepends a new fake address each time; nginx appends the real one.
        locked = _login(client, "somchai", "wrong", f"10.9.9.{attempt}, 203.0.113.7")

    still_locked = _login(client, "somchai", PASSWORD, "10.9.9.99, 203.0.113.7")

    assert locked.status_code == 429
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_throttle_spraying_many_usernames_from_one_address_is_stopped(client, somchai, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        refused = _login(client, f"user{number}", "Password1!", "203.0.113.7")
        assert refused.status_code == 200

    sprayed = _login(client, "somchai", PASSWORD, "203.0.113.7")
    elsewhere = _login(client, "somchai", PASSWORD, "198.51.100.20")

    assert sprayed.status_code == 429
    assert b"from your address" in sprayed.content
    assert elsewhere.status_code == 302


def _reset(client, email: str, forwarded_for: str):
    return client.post(
        reverse("password_reset"),
        {"email": email},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_throttle_password_reset_mails_one_account_a_few_times_only(client, somchai):
    answers = [
        _reset(client, "somchai@example.go.th", f"203.0.113.{n}").status_code for n in range(21)
    ]

    assert len(mail.outbox) == settings.PASSWORD_RESET_ACCOUNT_LIMIT
    # The same "sent" answer every time: it tells no one that the limit (or the account) exists.
    assert set(answers) == {302}


def test_throttle_password_reset_from_one_address_is_refused_in_thai(client, somchai):
    get_user_model().objects.create_user("somsri", email="somsri@example.go.th", password=PASSWORD)
    for number in range(settings.PASSWORD_RESET_ADDRESS_LIMIT):
        _reset(client, f"nobody{number}@example.go.th", "203.0.113.7")

    refused = _reset(client, "somsri@example.go.th", "203.0.113.7")
    elsewhere = _reset(client, "somsri@example.go.th", "198.51.100.20")

    assert refused.status_code == 429
    assert "ส่งคำขอบ่อยเกินไป" in refused.content.decode()
    assert elsewhere.status_code == 302
    assert [m.to for m in mail.outbox] == [["somsri@example.go.th"]]


def test_throttle_counter_allows_the_limit_then_refuses():
    allowed = [hit("test", "Somchai@Example.go.th ", limit=3, window=60) for _ in range(3)]

    refused = hit("test", "somchai@example.go.th", limit=3, window=60)

    assert allowed == [True, True, True]
    assert refused is False
