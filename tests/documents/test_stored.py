"""Signed copies: stored once, served unchanged, listed per revision, guarded by role."""

from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse

from documents.enums import DocumentKind
from documents.models import StoredDocument
from documents.signing import sign_refusal
from ita.models import IndicatorResult
from plans import services as plan_services
from plans.models import Action, Plan
from plans.roles import Role
from tests.documents.conftest import plan_with_actions, user_with_role

PDF = "application/pdf"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def approve(plan: Plan, user, capture) -> StoredDocument:
    with capture(execute=True):
        plan_services.plan_approve(plan=plan, user=user)
    return StoredDocument.objects.get(
        kind=DocumentKind.PLAN, plan=plan, revision__number=plan.revision
    )


def sign(client, organisation_id: int, year: int, **data):
    url = reverse("documents:sign", args=[organisation_id, year])
    return client.post(url, data)


# --- Pure rule ---------------------------------------------------------------------------------


def test_sign_refusal_allows_each_document_once():
    assert sign_refusal(DocumentKind.REPORT, already_signed=False) is None
    assert "already" in sign_refusal(DocumentKind.REPORT, already_signed=True)
    assert sign_refusal(DocumentKind.PLAN, already_signed=False, plan_status="approved") is None
    assert "approved" in sign_refusal(DocumentKind.PLAN, already_signed=False, plan_status="draft")


def test_sign_refusal_waits_for_the_edition_as_of_date():
    as_of = date(2026, 3, 31)

    before = sign_refusal(
        DocumentKind.FOLLOWUP,
        already_signed=False,
        edition="mid",
        as_of=as_of,
        today=date(2026, 3, 30),
    )
    on_the_day = sign_refusal(
        DocumentKind.FOLLOWUP, already_signed=False, edition="mid", as_of=as_of, today=as_of
    )
    today_edition = sign_refusal(DocumentKind.FOLLOWUP, already_signed=False, edition="today")

    assert before and "as-of date" in before
    assert on_the_day is None
    assert today_edition and "six-month" in today_edition


# --- The plan: stored at approval ----------------------------------------------------------------


@pytest.mark.django_db
def test_stored_plan_is_the_approved_pdf_and_never_changes(
    client, reference, supervisor, django_capture_on_commit_callbacks
):
    plan = plan_with_actions(reference.organisation, 2, fiscal_year=2570)
    stored = approve(plan, supervisor, django_capture_on_commit_callbacks)
    client.force_login(supervisor)
    first = body(client.get(reverse("documents:plan-pdf", args=[plan.pk])))
    # The data changes behind the approved plan (names, measures) and the PDF does not.
    Action.objects.filter(plan=plan).update(measure="มาตรการที่แก้ไขภายหลัง")
    reference.organisation.__class__.objects.filter(pk=reference.organisation.pk).update(
        name="องค์การที่เปลี่ยนชื่อแล้ว"
    )

    again = client.get(reverse("documents:plan-pdf", args=[plan.pk]))

    with stored.file.open("rb") as f:
        kept = f.read()
    assert first.startswith(b"%PDF")
    assert sha(body(again)) == sha(first) == stored.sha256 == sha(kept)
    assert stored.size == len(kept)
    assert stored.created_by == supervisor
    assert again["Content-Type"] == PDF


@pytest.mark.django_db
def test_new_revision_stores_a_new_file_and_keeps_the_old_one_listed(
    client, reference, supervisor, django_capture_on_commit_callbacks
):
    plan = plan_with_actions(reference.organisation, 1, fiscal_year=2570)
    first = approve(plan, supervisor, django_capture_on_commit_callbacks)
    plan_services.plan_revise(plan=plan, reason="เพิ่มมาตรการ")
    plan_services.action_create(
        plan=plan, indicator=plan.actions.first().indicator, finding="ใหม่", measure="มาตรการเพิ่ม"
    )
    plan.actions.last().all_divisions = True
    Action.objects.filter(plan=plan).update(all_divisions=True)
    plan.refresh_from_db()
    second = approve(plan, supervisor, django_capture_on_commit_callbacks)
    client.force_login(supervisor)

    page = client.get(reverse("documents:year", args=[reference.organisation.pk, 2568]))
    old = client.get(first.get_absolute_url())

    html = page.content.decode()
    assert first.pk != second.pk and first.sha256 != second.sha256
    assert first.get_absolute_url() in html and second.get_absolute_url() in html
    assert first.sha256 in html and second.sha256 in html
    assert sha(body(old)) == first.sha256
    assert sha(body(client.get(reverse("documents:plan-pdf", args=[plan.pk])))) == second.sha256


# --- Signing the report and the follow-up ---------------------------------------------------------


@pytest.mark.django_db
def test_signed_report_is_served_byte_identical_after_the_results_change(
    client, reference, supervisor
):
    organisation = reference.organisation
    client.force_login(supervisor)

    response = sign(client, organisation.pk, 2568, kind="report")
    IndicatorResult.objects.filter(assessment=reference).update(analysis="ข้อความที่เขียนใหม่ภายหลัง")
    served = body(client.get(reverse("documents:report-pdf", args=[organisation.pk, 2568])))

    stored = StoredDocument.objects.get(kind=DocumentKind.REPORT, organisation=organisation)
    assert response["Location"] == reverse("documents:year", args=[organisation.pk, 2568])
    assert sha(served) == stored.sha256
    assert stored.created_by == supervisor and stored.fiscal_year == 2568
    again = sign(client, organisation.pk, 2568, kind="report")
    assert StoredDocument.objects.filter(kind=DocumentKind.REPORT).count() == 1
    messages = [str(m) for m in again.wsgi_request._messages]
    assert any("ลงนามแล้ว" in m for m in messages), messages


@pytest.mark.django_db
def test_signed_followup_edition_is_frozen_and_other_editions_still_render(
    client, reference_plan, supervisor
):
    organisation = reference_plan.organisation
    client.force_login(supervisor)
    url = reverse("documents:followup-pdf", args=[reference_plan.pk])

    sign(client, organisation.pk, 2568, kind="followup", plan=reference_plan.pk, edition="end")
    stored = StoredDocument.objects.get(kind=DocumentKind.FOLLOWUP, plan=reference_plan)
    Action.objects.filter(plan=reference_plan).update(measure="เปลี่ยนหลังลงนาม")
    frozen = body(client.get(url + "?edition=end"))
    fresh = body(client.get(url + "?edition=mid"))

    assert stored.edition == "end"
    assert sha(frozen) == stored.sha256
    assert sha(fresh) != stored.sha256 and fresh.startswith(b"%PDF")


@pytest.mark.django_db
def test_sign_store_the_approved_plan_when_approval_stored_nothing(
    client, reference_plan, supervisor
):
    # Approved without the on-commit hook running (as in the demo fixture): the page offers it.
    client.force_login(supervisor)
    page = client.get(reverse("documents:year", args=[reference_plan.organisation_id, 2568]))
    assert "จัดเก็บฉบับที่อนุมัติ" in page.content.decode()

    sign(client, reference_plan.organisation_id, 2568, kind="plan", plan=reference_plan.pk)

    stored = StoredDocument.objects.get(kind=DocumentKind.PLAN, plan=reference_plan)
    assert stored.revision.number == reference_plan.revision


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_viewer_cannot_sign_and_other_organisation_gets_404(
    client, reference, supervisor, outsider
):
    organisation = reference.organisation
    viewer = user_with_role(organisation, Role.VIEWER, "viewer")
    client.force_login(supervisor)
    sign(client, organisation.pk, 2568, kind="report")
    stored = StoredDocument.objects.get()

    client.force_login(viewer)
    refused = sign(client, organisation.pk, 2568, kind="followup", plan=0, edition="mid")
    viewer_page = client.get(reverse("documents:year", args=[organisation.pk, 2568]))
    viewer_file = client.get(stored.get_absolute_url())
    client.force_login(outsider)
    outsider_page = client.get(reverse("documents:year", args=[organisation.pk, 2568]))
    outsider_file = client.get(stored.get_absolute_url())
    outsider_sign = sign(client, organisation.pk, 2568, kind="report")

    assert refused.status_code == 403
    assert viewer_page.status_code == 200
    assert "ลงนามและจัดเก็บ" not in viewer_page.content.decode()
    assert sha(body(viewer_file)) == stored.sha256
    assert (outsider_page.status_code, outsider_file.status_code) == (404, 404)
    assert outsider_sign.status_code == 404
    assert StoredDocument.objects.count() == 1


@pytest.mark.django_db
def test_sign_needs_post_and_a_plan_of_this_year(client, reference_plan, supervisor):
    other = plan_with_actions(reference_plan.organisation, 1, fiscal_year=2570)
    organisation_id = reference_plan.organisation_id
    client.force_login(supervisor)

    by_get = client.get(reverse("documents:sign", args=[organisation_id, 2568]))
    wrong_year = sign(client, organisation_id, 2567, kind="followup", plan=other.pk, edition="end")

    assert by_get.status_code == 405
    assert wrong_year.status_code == 302
    assert not StoredDocument.objects.exists()


@pytest.mark.django_db
def test_stored_file_download_has_pdf_type_and_thai_filename(client, reference, supervisor):
    client.force_login(supervisor)
    sign(client, reference.organisation.pk, 2568, kind="report")
    stored = StoredDocument.objects.get()

    response = client.get(stored.get_absolute_url())

    disposition = response["Content-Disposition"]
    assert response["Content-Type"] == PDF
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert quote("รายงานการวิเคราะห์ผลการประเมิน") in disposition
    assert quote(reference.organisation.name) in disposition
    assert response["ETag"] == f'"{stored.sha256}"'


@pytest.mark.django_db
def test_signed_pages_say_so_and_link_the_stored_copy(client, reference_plan, supervisor):
    organisation_id = reference_plan.organisation_id
    client.force_login(supervisor)
    report_url = reverse("documents:report", args=[organisation_id, 2568])
    followup_url = reverse("documents:followup", args=[reference_plan.pk])
    unsigned = client.get(report_url).content.decode()

    sign(client, organisation_id, 2568, kind="report")
    sign(client, organisation_id, 2568, kind="followup", plan=reference_plan.pk, edition="mid")
    sign(client, organisation_id, 2568, kind="plan", plan=reference_plan.pk)
    pages = {
        kind: client.get(page_url).content.decode()
        for kind, page_url in [
            (DocumentKind.REPORT, report_url),
            (DocumentKind.FOLLOWUP, followup_url + "?edition=mid"),
            (DocumentKind.PLAN, reverse("documents:plan", args=[reference_plan.pk])),
        ]
    }
    today = client.get(followup_url + "?edition=today").content.decode()

    assert "จัดเก็บฉบับลงนามเมื่อ" not in unsigned
    for kind, html in pages.items():
        stored = StoredDocument.objects.get(kind=kind)
        assert "จัดเก็บฉบับลงนามเมื่อ" in html, kind
        assert stored.get_absolute_url() in html and stored.sha256 in html, kind
    assert "จัดเก็บฉบับลงนามเมื่อ" not in today


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approval_stands_when_storing_its_pdf_fails(reference, supervisor, monkeypatch, caplog):
    # A real commit (transactional test), so the robust on-commit hook runs as in production.
    plan = plan_with_actions(reference.organisation, 1, fiscal_year=2570)

    def broken(**kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr("documents.services.plan_copy_store", broken)
    plan_services.plan_approve(plan=plan, user=supervisor)

    plan.refresh_from_db()
    assert plan.status == "approved"
    assert not StoredDocument.objects.filter(plan=plan).exists()
    assert "renderer down" in caplog.text


@pytest.mark.django_db
def test_a_second_copy_of_the_same_document_is_refused_and_leaves_no_file(reference, settings):
    from pathlib import Path

    from django.core.exceptions import ValidationError

    from documents.services import stored_document_create

    def store():
        return stored_document_create(
            kind=DocumentKind.REPORT,
            organisation=reference.organisation,
            fiscal_year=2568,
            content=b"%PDF-1.7\n%copy\n",
            user=None,
        )

    kept = store()
    with pytest.raises(ValidationError):
        store()

    files = list(Path(settings.DOCUMENTS_STORED_ROOT).rglob("*.pdf"))
    assert [f.name for f in files] == [Path(kept.file.name).name]


def test_report_page_names_the_signer_as_the_stored_copy_does(client, reference, supervisor):
    """The page reads the signed copy as plain values; the notice still names the signer
    (full name, else user name) and the copy's hash, as `StoredDocument.signer_name` does."""
    organisation_id = reference.organisation_id
    client.force_login(supervisor)
    sign(client, organisation_id, 2568, kind="report")
    url = reverse("documents:report", args=[organisation_id, 2568])
    by_username = notice(client.get(url))
    supervisor.first_name, supervisor.last_name = "วิไล", "ทองดี"
    supervisor.save()
    by_name = notice(client.get(url))

    stored = StoredDocument.objects.select_related("created_by").get(kind=DocumentKind.REPORT)
    assert stored.signer_name == "วิไล ทองดี"
    assert supervisor.username in by_username and "วิไล" not in by_username
    assert "วิไล ทองดี" in by_name and supervisor.username not in by_name
    assert stored.sha256 in by_name and stored.get_absolute_url() in by_name


def test_report_page_notice_of_a_copy_whose_signer_is_gone_names_no_one(
    client, reference, supervisor
):
    organisation_id = reference.organisation_id
    client.force_login(supervisor)
    sign(client, organisation_id, 2568, kind="report")
    StoredDocument.objects.update(created_by=None)  # the account was deleted (SET_NULL)

    text = notice(client.get(reverse("documents:report", args=[organisation_id, 2568])))

    assert "None" not in text and supervisor.username not in text
    assert StoredDocument.objects.get().sha256 in text


def notice(response) -> str:
    html = response.content.decode()
    start = html.index('class="notice notice-signed"')
    return html[start : html.index("</p>", start)]
