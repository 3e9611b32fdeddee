from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ita.models import Framework


@pytest.fixture
def framework_2568(db) -> Framework:
    """The shipped 2568 framework (from the data migration)."""
    return Framework.objects.get(fiscal_year=2568)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser(
        username="admin", email="admin@example.org", password="pass-1234-admin"
    )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
