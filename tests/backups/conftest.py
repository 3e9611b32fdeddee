"""A demo site with plans, history and evidence files, in folders of the test's own."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from documents.enums import DocumentKind
from documents.services import stored_document_create
from plans import services
from plans.models import Action, Division

PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture(autouse=True)
def site_roots(settings, tmp_path):
    settings.PLANS_EVIDENCE_ROOT = tmp_path / "evidence"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_STORED_ROOT = tmp_path / "documents"
    return {
        "evidence": tmp_path / "evidence",
        "media": tmp_path / "media",
        "documents": tmp_path / "documents",
    }


@pytest.fixture
def demo_site(db, site_roots):
    """load_demo's organisations, results and approved plan, plus progress with two files."""
    call_command("load_demo", "--i-know-this-is-not-production", verbosity=0)
    action = Action.objects.filter(plan__status="approved").order_by("pk").first()
    division = Division.objects.filter(organisation=action.plan.organisation).first()
    services.progress_record(
        action=action,
        user=None,
        division=division,
        reported_on=date(2026, 1, 5),
        text="ร่างคู่มือการยืมทรัพย์สินแล้ว",
        percent=40,
        status="in_progress",
        files=[
            SimpleUploadedFile("คำสั่ง.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("รูป.pdf", PDF + b"1", content_type="application/pdf"),
        ],
        links=["https://example.go.th/manual"],
    )
    site_roots["media"].mkdir(parents=True, exist_ok=True)
    (site_roots["media"] / "logo.png").write_bytes(b"\x89PNG demo")
    stored_document_create(
        kind=DocumentKind.REPORT,
        organisation=action.plan.organisation,
        fiscal_year=action.plan.assessment.framework.fiscal_year,
        content=PDF + b"signed",
        user=None,
    )
    return action


def wipe(site_roots) -> None:
    """As a new server: the tables empty (then content types and permissions made again)."""
    import shutil

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE inside the test's transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    for root in site_roots.values():
        shutil.rmtree(root, ignore_errors=True)
