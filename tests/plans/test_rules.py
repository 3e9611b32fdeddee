from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from plans import rules

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"
MB = 1024 * 1024


def test_default_period_is_october_to_march_of_the_fiscal_year():
    assert rules.default_period(2569) == (date(2025, 10, 1), date(2026, 3, 1))


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        ("not_started", date(2026, 3, 31), False),  # the whole end month is in time
        ("not_started", date(2026, 4, 1), True),
        ("in_progress", date(2026, 4, 1), True),
        ("done", date(2026, 4, 1), False),
        ("cancelled", date(2027, 1, 1), False),
    ],
)
def test_is_overdue_follows_the_end_month_and_the_status(status, today, overdue):
    assert rules.is_overdue(status=status, end_month=date(2026, 3, 1), today=today) is overdue


def test_is_overdue_without_an_end_month_is_never_overdue():
    assert rules.is_overdue(status="not_started", end_month=None, today=date(2030, 1, 1)) is False


def test_month_end_knows_leap_years():
    assert rules.month_end(date(2028, 2, 10)) == date(2028, 2, 29)


def test_is_frozen_for_every_status_but_draft():
    assert [rules.is_frozen(s) for s in ("draft", "approved", "presented")] == [
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("name", "head"),
    [("หนังสือสั่งการ.pdf", PDF), ("photo.PNG", PNG), ("คู่มือ.docx", DOCX)],
)
def test_evidence_file_error_accepts_pdf_images_and_office_documents(name, head):
    assert rules.evidence_file_error(name=name, size=2 * MB, head=head, max_bytes=10 * MB) is None


def test_evidence_file_error_refuses_a_forbidden_type_in_thai_and_english():
    with translation.override("en"):
        message = rules.evidence_file_error(
            name="setup.exe", size=100, head=b"MZ\x90\x00", max_bytes=10 * MB
        )

    assert "setup.exe" in message
    assert "this type of file is not accepted" in message


def test_evidence_file_error_refuses_a_file_over_the_limit_with_both_sizes():
    message = rules.evidence_file_error(name="scan.pdf", size=12 * MB, head=PDF, max_bytes=10 * MB)

    assert "12.0 MB" in message
    assert "10 MB" in message


def test_evidence_file_error_refuses_a_renamed_file_whose_content_does_not_match():
    message = rules.evidence_file_error(
        name="report.pdf", size=300, head=b"<html><script>", max_bytes=10 * MB
    )

    assert "PDF" in message


def test_evidence_file_error_refuses_an_empty_file():
    assert rules.evidence_file_error(name="a.pdf", size=0, head=b"", max_bytes=MB) is not None
