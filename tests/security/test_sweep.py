"""Every URL of the site, as anonymous, as each demo role and as another organisation's user."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.conftest import DEMO_ROLES, KHP, PUBLIC, site_pages, url_patterns, user

pytestmark = pytest.mark.django_db
# Pages that are not about one organisation: they show the user's own (or nothing).
NOT_ORGANISATION_SPECIFIC = {
    "ita:home",
    "ita:organisations",
    "plans:plan-list",
    "plans:my-work",
    "plans:readiness-home",  # the OIT board of the user's own organisation
    "admin:index",
    "password_change",
    "password_change_done",
    "logout",
}


def test_sweep_fills_every_url(demo):
    pages = site_pages(demo)

    names = {p.name for p in pages}

    assert len(pages) == len(url_patterns()) + 1
    assert {"ita:dashboard", "plans:plan-detail", "plans:evidence-download"} <= names


def test_sweep_anonymous_is_sent_to_login_everywhere_but_public_pages(client, demo):
    login = reverse(settings.LOGIN_URL)

    for page in site_pages(demo):
        response = client.get(page.url)

        body = response.content.decode(errors="replace")
        assert KHP not in body, page
        if page.name in PUBLIC:
            assert response.status_code in (200, 302, 405), page
        elif page.name == "admin:index":
            assert response.status_code == 302, page
            assert response["Location"].startswith(reverse("admin:login")), page
        else:
            assert response.status_code in (302, 403, 404, 405), page
            if response.status_code == 302:
                assert response["Location"].startswith(login), page


@pytest.mark.parametrize("username", [*DEMO_ROLES, "demo"])
def test_sweep_each_role_never_meets_a_server_error(client, demo, username):
    client.force_login(user(username))
    statuses = {}

    for page in site_pages(demo):
        if page.name == "logout":
            continue
        response = client.get(page.url)  # an exception in a view fails the test here
        statuses[page.name] = response.status_code

    assert all(code < 500 for code in statuses.values()), statuses
    assert statuses["ita:dashboard"] == 200
    assert statuses["plans:plan-detail"] == 200
    assert statuses["plans:evidence-download"] == 200
    assert statuses["documents:stored-file"] == 200


def test_sweep_viewer_cannot_reach_managers_pages(client, demo):
    client.force_login(user("demo-viewer"))
    manager_pages = {"plans:plan-create", "plans:action-create", "plans:action-edit"}

    codes = {
        p.name: client.get(p.url).status_code for p in site_pages(demo) if p.name in manager_pages
    }

    assert codes == dict.fromkeys(manager_pages, 403)


def test_sweep_other_organisations_user_sees_nothing_of_this_one(client, demo, stranger):
    client.force_login(stranger)
    leaks = {}

    for page in site_pages(demo):
        if page.name in PUBLIC or page.name == "logout":
            continue
        response = client.get(page.url)
        body = response.content.decode(errors="replace")
        if page.name in NOT_ORGANISATION_SPECIFIC:
            ok = response.status_code < 500 and KHP not in body
        else:
            ok = response.status_code in (403, 404, 405)
        if not ok:
            leaks[page.name] = response.status_code

    assert leaks == {}


def test_sweep_signed_copy_is_served_only_to_members(client, demo, stranger):
    url = reverse("documents:stored-file", args=[demo.document])
    client.force_login(user("demo-viewer"))
    member = client.get(url)
    client.force_login(stranger)

    outsider = client.get(url)

    assert member.content.startswith(b"%PDF")
    assert member["Content-Type"] == "application/pdf"
    assert outsider.status_code == 404


def test_sweep_evidence_file_is_served_only_to_members(client, demo, stranger):
    url = reverse("plans:evidence-download", args=[demo.evidence])
    client.force_login(user("demo-viewer"))
    member = client.get(url)
    client.force_login(stranger)

    outsider = client.get(url)

    assert b"".join(member.streaming_content).startswith(b"%PDF")
    assert outsider.status_code == 404
    assert settings.MEDIA_URL.strip("/") not in url
