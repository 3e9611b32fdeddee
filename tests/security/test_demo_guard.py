"""load_demo resets superuser demo to a published password: never on a production database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_with_debug_off_and_leaves_the_database_alone(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("load_demo", "--no-peers", stdout=StringIO())

    assert not get_user_model().objects.filter(username="demo").exists()


def test_load_demo_runs_with_debug_on(settings):
    settings.DEBUG = True

    call_command("load_demo", "--no-peers", stdout=StringIO())

    assert get_user_model().objects.get(username="demo").is_superuser


def test_load_demo_runs_with_debug_off_when_told_it_is_not_production(settings):
    settings.DEBUG = False

    call_command("load_demo", "--no-peers", "--i-know-this-is-not-production", stdout=StringIO())

    assert get_user_model().objects.get(username="demo").is_superuser
