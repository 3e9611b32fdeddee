"""django-axes: repeated wrong passwords lock one username from one address out."""

from __future__ import annotations

import pytest
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "right-pass-1234"


@pytest.fixture(autouse=True)
def fresh_axes():
    reset()
    yield
    reset()


@pytest.fixture
def somchai(db):
    return get_user_model().objects.create_user("somchai", password=PASSWORD)


def _login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_throttle_locks_out_after_the_failure_limit(client, somchai):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = _login(client, "somchai", "wrong")
        assert refused.status_code == 200
        assert b"did not match" in refused.content

    locked = _login(client, "somchai", "wrong")
    still_locked = _login(client, "somchai", PASSWORD)

    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    assert f"after {settings.AXES_FAILURE_LIMIT} failed attempts".encode() in locked.content
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_throttle_page_is_thai_by_default(client, somchai):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = _login(client, "somchai", "wrong")

    assert locked.status_code == 429
    assert b'lang="th"' in locked.content
    assert str(settings.AXES_FAILURE_LIMIT).encode() in locked.content


def test_login_throttle_leaves_other_users_alone(client, somchai):
    get_user_model().objects.create_user("somsri", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "somchai", "wrong")

    other = _login(client, "somsri", PASSWORD)

    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(
        get_user_model().objects.get(username="somsri").pk
    )


def test_login_throttle_reset_unlocks_and_success_clears_failures(client, somchai):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "somchai", "wrong")

    reset(username="somchai")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "somchai", "wrong")
    unlocked = _login(client, "somchai", PASSWORD)
    client.logout()
    again = _login(client, "somchai", "wrong")

    assert unlocked.status_code == 302
    assert again.status_code == 200


def test_login_throttle_also_guards_the_admin_login(client, somchai):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "somchai", "password": "wrong"})

    assert response.status_code == 429
