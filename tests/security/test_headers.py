"""Security headers and the content security policy on every page; no inline CSS or JS."""

from __future__ import annotations

import re

import pytest

from config.security import CONTENT_SECURITY_POLICY
from tests.security.conftest import site_pages, user

pytestmark = pytest.mark.django_db
INLINE_SCRIPT_RE = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE_RE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=\s*[\"']", re.I)


def test_headers_every_page_carries_the_policy_and_security_headers(client, demo):
    client.force_login(user("demo"))
    missing = {}

    for page in site_pages(demo):
        if page.name == "logout":
            continue
        response = client.get(page.url)
        sandboxed = page.name == "plans:evidence-download"  # uploaded files run nothing
        expected = {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY + ("; sandbox" if sandboxed else ""),
            "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
        }
        wrong = {k: response.get(k) for k, v in expected.items() if response.get(k) != v}
        if "camera=()" not in response.get("Permissions-Policy", ""):
            wrong["Permissions-Policy"] = response.get("Permissions-Policy")
        if wrong:
            missing[page.name] = wrong

    assert missing == {}


def test_headers_policy_allows_only_this_sites_own_code():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("username", ["demo", "demo-viewer"])
def test_headers_our_pages_have_no_inline_script_or_style(client, demo, username):
    client.force_login(user(username))
    inline = {}

    for page in site_pages(demo):
        if page.name in ("logout", "admin:index"):
            continue
        response = client.get(page.url)
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        found = INLINE_SCRIPT_RE.findall(html) + INLINE_STYLE_RE.findall(html)
        if found:
            inline[page.name] = found[:3]

    assert inline == {}


def test_headers_login_page_anonymous_carries_the_policy(client):
    response = client.get("/accounts/login/")

    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert b"<form" in response.content
