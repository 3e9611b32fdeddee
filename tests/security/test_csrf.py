"""CSRF: every form carries the token, and every URL refuses a POST without it."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, reverse

from ita.models import Assessment, ItemResult, QuestionScore
from plans.models import Action, Plan, ProgressReport
from tests.security.conftest import PUBLIC, site_pages, user

pytestmark = pytest.mark.django_db
FORM_RE = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
POST_RE = re.compile(r"method\s*=\s*[\"']?post", re.I)
WATCHED = [Assessment, QuestionScore, ItemResult, Plan, Action, ProgressReport]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in WATCHED}


def _admin_pages() -> list[str]:
    """The add and import pages of every model in the admin."""
    urls = []
    for model in apps.get_models():
        for view in ("add", "import", "changelist"):
            try:
                urls.append(
                    reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
                )
            except NoReverseMatch:
                continue
    return urls


def test_csrf_every_url_refuses_a_post_without_the_token(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("demo"))
    before = _counts()
    accepted = {}

    for url in [p.url for p in site_pages(demo) if p.name != "logout"] + _admin_pages():
        response = client.post(url, {"text": "x", "percent": "100", "status": "done"})
        refused_by_csrf = "403_csrf.html" in [t.name for t in response.templates]
        if response.status_code != 403 or not refused_by_csrf:
            accepted[url] = response.status_code

    assert accepted == {}
    assert _counts() == before


def test_csrf_every_post_form_carries_the_token(demo):
    client = Client()
    client.force_login(user("demo"))
    missing = []

    for url in [p.url for p in site_pages(demo) if p.name != "logout"] + _admin_pages():
        response = client.get(url)
        if "html" not in response.get("Content-Type", ""):
            continue
        for form in FORM_RE.findall(response.content.decode()):
            opening = form.split(">", 1)[0]
            if POST_RE.search(opening) and "csrfmiddlewaretoken" not in form:
                missing.append((url, opening))

    assert missing == []


def test_csrf_anonymous_post_anywhere_writes_nothing(client, demo):
    before = _counts()
    wrong = {}

    for page in site_pages(demo):
        if page.name in PUBLIC or page.name == "logout":
            continue
        response = client.post(page.url, {"text": "x", "percent": "100", "status": "done"})
        if response.status_code not in (302, 403, 404, 405):
            wrong[page.name] = response.status_code

    assert wrong == {}
    assert _counts() == before
