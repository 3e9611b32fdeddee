"""Error pages speak Thai on the site's layout; the 500 page needs no context at all."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template.loader import get_template
from django.test import Client
from django.urls import path, reverse

import config.urls
from plans.models import Evidence
from tests.security.conftest import user

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("broken on purpose")


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("bad input")


urlpatterns = [
    path("test-500/", _boom),
    path("test-403/", _forbidden),
    path("test-400/", _suspicious),
    *config.urls.urlpatterns,
]


@pytest.fixture
def visitor(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "status", "thai"),
    [
        ("/no-such-page/", 404, "ไม่พบหน้าที่ต้องการ"),
        ("/test-403/", 403, "ไม่มีสิทธิ์เข้าถึง"),
        ("/test-400/", 400, "คำขอไม่ถูกต้อง"),
        ("/test-500/", 500, "ระบบขัดข้อง"),
    ],
)
def test_error_pages_answer_in_thai(visitor, url, status, thai):
    response = visitor.get(url)

    assert response.status_code == status
    assert thai in response.content.decode()
    assert 'lang="th"' in response.content.decode()


def test_error_pages_404_keeps_the_site_layout(visitor):
    response = visitor.get("/no-such-page/")

    assert "site-header" in response.content.decode()
    assert "Page not found" not in response.content.decode()


def test_error_pages_500_renders_without_any_context():
    html = get_template("500.html").render()

    assert "ระบบขัดข้อง" in html
    assert "{%" not in html


def test_error_pages_csrf_failure_is_thai_and_says_what_to_do():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()


def test_error_pages_missing_evidence_file_is_a_thai_404(client, demo, private_evidence):
    client.force_login(user("demo-executive"))
    evidence = Evidence.objects.get(pk=demo.evidence)
    evidence.file.storage.delete(evidence.file.name)

    response = client.get(reverse("plans:evidence-download", args=[demo.evidence]))

    assert response.status_code == 404
    assert "ไม่พบหน้าหรือไฟล์ที่ขอ" in response.content.decode()
