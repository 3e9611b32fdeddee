"""Documents rendered once: a second download serves the stored bytes, a write that changes
what the document prints makes the next download new, and a failed render stores nothing."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import rendered, views
from ita.models import Assessment, Division, IndicatorResult
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from ita.services.narratives import narratives_save
from plans import services
from plans.models import Action, ActionStatus
from tests.documents.conftest import INDICATOR_SCORES, plan_with_actions

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    """The text of a DOCX, its XML tags stripped."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode())


class Counted:
    """Wraps a builder of a FORMATS table and counts its calls."""

    def __init__(self, build: Callable[..., bytes]) -> None:
        self.build = build
        self.calls = 0

    def __call__(self, *args: object) -> bytes:
        self.calls += 1
        return self.build(*args)


@pytest.fixture
def counted_report_docx():
    content_type, build = views.FORMATS["docx"]
    counted = Counted(build)
    with mock.patch.dict(views.FORMATS, {"docx": (content_type, counted)}):
        yield counted


@pytest.fixture
def counted_plan_docx():
    content_type, build = views.PLAN_FORMATS["docx"]
    counted = Counted(build)
    with mock.patch.dict(views.PLAN_FORMATS, {"docx": (content_type, counted)}):
        yield counted


@pytest.fixture
def report_again(client, reference, staff_user, counted_report_docx) -> Callable[[], str]:
    """The clerk has downloaded the report DOCX once; the fixture downloads it again (text)."""
    client.force_login(staff_user)
    report_docx(client, reference)
    return lambda: docx_text(report_docx(client, reference))


@pytest.fixture
def plan_again(client, reference_plan, staff_user, counted_plan_docx) -> Callable[[], str]:
    """The clerk has downloaded the 2569 plan DOCX once; the fixture downloads it again."""
    client.force_login(staff_user)
    plan_docx(client, reference_plan)
    return lambda: docx_text(plan_docx(client, reference_plan))


@pytest.fixture
def draft_plan(reference):
    return plan_with_actions(reference.organisation, 3, fiscal_year=2570)


def report_docx(client, assessment: Assessment, **query: str) -> bytes:
    url = reverse("documents:report-docx", args=[assessment.organisation_id, 2568])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content


def plan_docx(client, plan, **query: str) -> bytes:
    response = client.get(reverse("documents:plan-docx", args=[plan.pk]), query)
    assert response.status_code == 200
    return response.content


def stored_files(settings) -> list[Path]:
    root = Path(settings.DOCUMENTS_CACHE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != rendered.LOCK_NAME)


# --- Served from storage -------------------------------------------------------------------


def test_report_second_download_serves_the_stored_bytes(
    client, reference, staff_user, counted_report_docx, settings
):
    client.force_login(staff_user)
    first = report_docx(client, reference)

    second = report_docx(client, reference)

    assert counted_report_docx.calls == 1
    assert second == first
    assert [p.suffix for p in stored_files(settings)] == [".docx"]


def test_plan_second_download_serves_the_stored_bytes(
    client, reference_plan, staff_user, counted_plan_docx
):
    client.force_login(staff_user)
    first = plan_docx(client, reference_plan)

    second = plan_docx(client, reference_plan)

    assert counted_plan_docx.calls == 1
    assert second == first


def test_stored_report_is_still_checked_for_access(client, reference, staff_user, outsider):
    client.force_login(staff_user)
    report_docx(client, reference)
    client.force_login(outsider)

    response = client.get(reverse("documents:report-docx", args=[reference.organisation_id, 2568]))

    assert response.status_code == 404


# --- A write that changes the document makes the next download new -----------------------


def test_report_score_change_renders_anew(client, reference, staff_user, counted_report_docx):
    client.force_login(staff_user)
    before = docx_text(report_docx(client, reference))
    scores = dict(enumerate(INDICATOR_SCORES, 1))
    scores[1] = "12.34"

    results_save(
        organisation=reference.organisation,
        framework=reference.framework,
        agency_type=reference.agency_type,
        results=ResultSet(
            overall=Decimal("77.77"),
            level="ไม่ผ่าน",
            indicators={n: IndicatorValue(Decimal(s)) for n, s in scores.items()},
        ),
    )
    after = docx_text(report_docx(client, reference))

    assert counted_report_docx.calls == 2
    assert "๑๒.๓๔" not in before
    assert "๑๒.๓๔" in after


def test_report_verdict_text_change_renders_anew(reference, report_again, counted_report_docx):
    number = IndicatorResult.objects.filter(assessment=reference).first().indicator.number

    narratives_save(assessment=reference, texts={}, remarks={number: "ข้อสังเกตที่เพิ่งบันทึก"})
    after = report_again()

    assert counted_report_docx.calls == 2
    assert "ข้อสังเกตที่เพิ่งบันทึก" in after


def test_report_organisation_rename_renders_anew(reference, report_again, counted_report_docx):
    organisation = reference.organisation

    organisation.name = "อบต.ชื่อใหม่ทดสอบ"
    organisation.save()
    after = report_again()

    assert counted_report_docx.calls == 2
    assert "อบต.ชื่อใหม่ทดสอบ" in after


def test_report_digits_option_is_a_document_of_its_own(
    client, reference, staff_user, counted_report_docx, settings
):
    client.force_login(staff_user)

    thai = docx_text(report_docx(client, reference))
    arabic = docx_text(report_docx(client, reference, digits="arabic"))
    report_docx(client, reference)

    assert counted_report_docx.calls == 2  # the third is the stored Thai-digit copy
    assert "๒๕๖๘" in thai and "2568" not in thai
    assert "2568" in arabic
    assert len(stored_files(settings)) == 2


def test_plan_action_edit_renders_anew_and_replaces_the_old_file(
    client, draft_plan, staff_user, counted_plan_docx, settings
):
    client.force_login(staff_user)
    plan_docx(client, draft_plan)
    old_files = stored_files(settings)
    action = Action.objects.filter(plan=draft_plan).first()

    services.action_update(action=action, measure="มาตรการที่แก้ไขใหม่ในแผน")
    after = docx_text(plan_docx(client, draft_plan))

    assert counted_plan_docx.calls == 2
    assert "มาตรการที่แก้ไขใหม่ในแผน" in after
    new_files = stored_files(settings)
    assert len(new_files) == 1 and new_files != old_files  # the old version was removed


def test_plan_division_rename_renders_anew(reference_plan, plan_again, counted_plan_docx):
    division = Division.objects.filter(actions__plan=reference_plan).first()

    division.name = "กองที่เปลี่ยนชื่อแล้ว"
    division.save()
    after = plan_again()

    assert counted_plan_docx.calls == 2
    assert "กองที่เปลี่ยนชื่อแล้ว" in after


def test_plan_organisation_rename_renders_anew(reference_plan, plan_again, counted_plan_docx):
    organisation = reference_plan.organisation

    organisation.name = "เทศบาลชื่อใหม่ทดสอบ"
    organisation.save()
    after = plan_again()

    assert counted_plan_docx.calls == 2
    assert "เทศบาลชื่อใหม่ทดสอบ" in after


def xlsx_values(content: bytes) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def test_plan_progress_renders_anew(client, reference_plan, supervisor):
    client.force_login(supervisor)
    assert reference_plan.is_frozen  # progress is recorded on an approved plan
    url = reverse("documents:plan-xlsx", args=[reference_plan.pk])
    done = str(ActionStatus.DONE.label)
    before = xlsx_values(client.get(url).content)
    action = Action.objects.filter(plan=reference_plan).order_by("order", "pk").first()

    services.progress_record(
        action=action,
        user=supervisor,
        division=None,
        reported_on=timezone.localdate(),
        text="ทำเสร็จแล้วตามแผน",
        percent=100,
        status=ActionStatus.DONE,
    )
    after = xlsx_values(client.get(url).content)

    assert after.count(done) == before.count(done) + 1


def test_followup_progress_renders_anew(client, reference_plan, supervisor):
    client.force_login(supervisor)
    url = reverse("documents:followup-docx", args=[reference_plan.pk])
    before = docx_text(client.get(url).content)
    action = Action.objects.filter(plan=reference_plan).order_by("order", "pk").first()

    services.progress_record(
        action=action,
        user=supervisor,
        division=None,
        reported_on=timezone.localdate(),
        text="รายงานความก้าวหน้าที่เพิ่งบันทึก",
        percent=40,
        status=ActionStatus.IN_PROGRESS,
    )
    after = docx_text(client.get(url).content)

    assert "รายงานความก้าวหน้าที่เพิ่งบันทึก" not in before
    assert "รายงานความก้าวหน้าที่เพิ่งบันทึก" in after


# --- Failures store nothing -----------------------------------------------------------------


def test_failed_render_leaves_no_file(client, reference, staff_user, settings):
    client.force_login(staff_user)
    content_type, _build = views.FORMATS["docx"]

    def broken(*args: object) -> bytes:
        raise RuntimeError("render failed")

    with (
        mock.patch.dict(views.FORMATS, {"docx": (content_type, broken)}),
        pytest.raises(RuntimeError),
    ):
        client.get(reverse("documents:report-docx", args=[reference.organisation_id, 2568]))

    assert stored_files(settings) == []


def test_refused_report_leaves_no_file(client, reference, outsider, settings):
    client.force_login(outsider)

    response = client.get(reverse("documents:report-pdf", args=[reference.organisation_id, 2568]))

    assert response.status_code == 404
    assert stored_files(settings) == []


def test_store_failure_removes_its_temporary_file(settings):
    key = rendered.DocumentKey(slot="test/pdf-thai-th", version="v1", suffix="pdf")

    with (
        mock.patch("documents.rendered.os.replace", side_effect=OSError("disk full")),
        pytest.raises(OSError),
    ):
        rendered.store(key, b"%PDF-")

    assert stored_files(settings) == []


def test_store_replaces_the_older_version_of_the_slot(settings):
    old = rendered.DocumentKey(slot="test/pdf-thai-th", version="v1", suffix="pdf")
    new = rendered.DocumentKey(slot="test/pdf-thai-th", version="v2", suffix="pdf")
    other = rendered.DocumentKey(slot="test/docx-thai-th", version="v1", suffix="docx")
    rendered.store(old, b"old")
    rendered.store(other, b"other")

    rendered.store(new, b"new")

    assert rendered.stored(old) is None
    assert rendered.stored(new) == b"new"
    assert rendered.stored(other) == b"other"


def test_version_refuses_values_without_a_stable_form():
    with pytest.raises(TypeError):
        rendered.version_of(object())


def test_print_chart_is_drawn_once_per_figure():
    from documents.exports import pdf
    from ita import charts

    first = charts.bar_chart(["IIT"], [charts.Series("2568", [Decimal("90")])], title="t", desc="d")
    other = charts.bar_chart(["IIT"], [charts.Series("2568", [Decimal("70")])], title="t", desc="d")

    with mock.patch.object(charts, "for_print", wraps=charts.for_print) as for_print:
        once = pdf.printed_chart(first)
        again = pdf.printed_chart(first)
        changed = pdf.printed_chart(other)

    assert for_print.call_count == 2  # the repeated figure came from the cache
    assert once == again == str(charts.for_print(first))
    assert changed != once
