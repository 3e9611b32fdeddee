"""Error pages met in the admin and on the site are Thai, on the site's layout."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import get_template
from django.urls import reverse

from tests.i18n.crawl import english_words, page_texts
from tests.security.conftest import demo, private_evidence  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_permission_denied_in_the_admin_is_the_thai_page_not_a_bare_403(client, demo):  # noqa: F811
    clerk = get_user_model().objects.get(username="demo-finance")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    other = get_user_model().objects.get(username="demo-admin")

    response = client.get(reverse("admin:auth_user_change", args=[other.pk]))

    page = response.content.decode()
    assert response.status_code == 403
    assert "403 Forbidden" not in page
    assert "ไม่มีสิทธิ์เข้าถึง" in page and "site-header" in page


def test_server_error_page_has_the_site_header_and_stylesheet_without_context():
    html = get_template("500.html").render()

    assert 'class="site-header"' in html
    assert 'href="/static/css/app.css"' in html
    assert "ระบบขัดข้อง" in html
    assert english_words(page_texts(html)) == []
