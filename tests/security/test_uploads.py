"""Evidence uploads, from the outside: wrong types, disguised files and big files are refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from plans.models import Evidence, ProgressReport
from tests.security.conftest import user

pytestmark = pytest.mark.django_db


def _post(client, action_id: int, upload: SimpleUploadedFile):
    data = {
        "reported_on_0": "1",
        "reported_on_1": "11",
        "reported_on_2": "2568",
        "text": "แนบหลักฐาน",
        "percent": "60",
        "status": "in_progress",
        "links": "",
        "files": upload,
    }
    return client.post(reverse("plans:progress-create", args=[action_id]), data)


def _stored_files(root) -> list:
    return [p for p in (root / "evidence").rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64, b"this type of file is not accepted"),
        ("page.html", b"<script>alert(1)</script>", b"this type of file is not accepted"),
        ("order.pdf", b"MZ\x90\x00 not a pdf at all", b"does not look like a PDF file"),
        ("photo.jpg", b"%PDF-1.4 pretending", b"does not look like a JPG file"),
        ("empty.pdf", b"", b"The submitted file is empty"),
    ],
)
def test_upload_evidence_refuses_wrong_or_disguised_files(
    client, demo, private_evidence, name, content, expected
):
    client.force_login(user("demo-executive"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = (
        ProgressReport.objects.count(),
        Evidence.objects.count(),
        _stored_files(private_evidence),
    )

    response = _post(client, demo.action, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert expected in response.content
    after = (
        ProgressReport.objects.count(),
        Evidence.objects.count(),
        _stored_files(private_evidence),
    )
    assert after == before


def test_upload_evidence_refuses_a_file_over_the_limit(client, demo, private_evidence, settings):
    settings.PLANS_EVIDENCE_MAX_BYTES = 1024
    client.force_login(user("demo-executive"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = Evidence.objects.count()

    response = _post(client, demo.action, SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 4096))

    assert b"the limit is" in response.content
    assert Evidence.objects.count() == before


def test_upload_evidence_accepts_a_real_pdf_and_keeps_it_private(client, demo, private_evidence):
    client.force_login(user("demo-executive"))

    response = _post(client, demo.action, SimpleUploadedFile("คำสั่ง.pdf", b"%PDF-1.7\n%%EOF\n"))

    assert response.status_code == 302
    evidence = Evidence.objects.order_by("-pk").first()
    assert evidence.original_name == "คำสั่ง.pdf"
    stored = private_evidence / "evidence" / evidence.file.name
    assert stored.is_file()
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))


def test_upload_evidence_long_name_keeps_its_extension_and_downloads(
    client, demo, private_evidence
):
    client.force_login(user("demo-executive"))
    long_name = "คำสั่งแต่งตั้งคณะทำงาน" * 12 + ".pdf"
    assert len(long_name) > 200

    _post(client, demo.action, SimpleUploadedFile(long_name, b"%PDF-1.7\n%%EOF\n"))
    evidence = Evidence.objects.order_by("-pk").first()
    download = client.get(reverse("plans:evidence-download", args=[evidence.pk]))

    assert len(evidence.original_name) == 200
    assert evidence.original_name.endswith(".pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.7\n%%EOF\n"


def test_upload_evidence_failed_save_leaves_no_file_behind(demo, private_evidence, monkeypatch):
    from plans import services
    from plans.models import Action

    action = Action.objects.get(pk=demo.action)
    before = _stored_files(private_evidence)

    insert = Evidence._do_insert

    def insert_then_fail(self, *args, **kwargs):
        insert(self, *args, **kwargs)  # writes the file, then the row
        raise IntegrityError("the database refused the row")

    # The evidence row's own save fails after its file is on disk.
    monkeypatch.setattr(Evidence, "_do_insert", insert_then_fail)
    with pytest.raises(IntegrityError):
        services.progress_record(
            action=action,
            user=user("demo-executive"),
            division=None,
            reported_on=date(2025, 11, 2),
            text="แนบหลักฐาน",
            percent=60,
            status=action.status,
            files=[SimpleUploadedFile("order.pdf", b"%PDF-1.7\n%%EOF\n")],
        )

    assert _stored_files(private_evidence) == before
