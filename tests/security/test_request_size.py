"""Request bodies over the limit are refused from their Content-Length, before anyone reads them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
TWO_GB = 2 * 1024 * 1024 * 1024


class _UnreadableBody:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _post_claiming(client: Client, url: str, length: int):
    return client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": _UnreadableBody()},
    )


def test_request_size_anonymous_2gb_post_is_refused_unread_in_thai(client):
    response = _post_claiming(client, reverse("login"), TWO_GB)

    assert response.status_code == 413
    assert "413.html" in [t.name for t in response.templates]
    assert 'lang="th"' in response.content.decode()
    assert "ใหญ่เกิน" in response.content.decode()


def test_request_size_anonymous_limit_is_much_smaller_than_a_users(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = _post_claiming(client, reverse("login"), settings.REQUEST_ANONYMOUS_MAX_BYTES + 1)

    assert response.status_code == 413
    assert "64.0\xa0KB at most" in response.content.decode()
    assert settings.REQUEST_ANONYMOUS_MAX_BYTES * 100 < settings.REQUEST_MAX_BYTES


def test_request_size_logged_in_user_is_refused_over_the_limit_before_the_view(client):
    client.force_login(get_user_model().objects.create_user("somchai"))

    response = _post_claiming(client, reverse("password_change"), settings.REQUEST_MAX_BYTES + 1)

    assert response.status_code == 413
    assert "413.html" in [t.name for t in response.templates]


def test_request_size_small_anonymous_form_still_reaches_the_view(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    assert response.status_code == 200
    assert b"did not match" in response.content


def test_request_size_logged_in_user_may_send_more_than_an_anonymous_one(client, settings):
    settings.REQUEST_ANONYMOUS_MAX_BYTES = 100
    client.force_login(get_user_model().objects.create_user("somchai", password="old-pass-1234"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "x" * 200, "new_password2": "x" * 200},
    )

    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content
