"""Sessions end after SESSION_IDLE_TIMEOUT without a request (shared office PCs)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_session_is_renewed_on_every_request_for_the_idle_timeout(client, settings):
    client.force_login(get_user_model().objects.create_user("somchai"))

    response = client.get(reverse("ita:home"))

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_IDLE_TIMEOUT == 8 * 60 * 60
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_IDLE_TIMEOUT
