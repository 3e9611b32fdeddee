"""The report's remark column and analysis texts as the organisation edits them."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from documents.content import report_data
from ita.models import IndicatorResult
from ita.narratives import ANALYSIS_MAX_LENGTH, REMARK_MAX_LENGTH, TRUNCATION_MARK
from ita.services.narratives import narratives_save
from plans.roles import Role
from tests.documents.conftest import user_with_role

pytestmark = pytest.mark.django_db

MAINTAIN = "รักษาระดับ"
EDITED = (4, 6, 10)


def url(name: str, assessment) -> str:
    return reverse(f"documents:{name}", args=[assessment.organisation_id, 2568])


def posted(client, assessment) -> dict[str, str]:
    """The edit form as the page fills it in."""
    form = client.get(url("narratives-edit", assessment)).context["form"]
    return {name: form[name].initial for name in form.fields if form[name].initial}


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def docx_cells(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def test_remark_edits_of_indicators_4_6_10_print_in_the_pdf_and_docx(client, reference, supervisor):
    client.force_login(supervisor)
    before = pdf_text(client.get(url("report-pdf", reference)).content).count(MAINTAIN)
    data = posted(client, reference)
    for number in EDITED:
        data[f"remark_{number}"] = MAINTAIN

    response = client.post(url("narratives-edit", reference), data)

    assert response["Location"] == url("report", reference)
    saved = IndicatorResult.objects.filter(assessment=reference, remark=MAINTAIN)
    assert sorted(saved.values_list("indicator__number", flat=True)) == list(EDITED)
    after = pdf_text(client.get(url("report-pdf", reference)).content).count(MAINTAIN)
    assert after == before + len(EDITED)
    cells = docx_cells(client.get(url("report-docx", reference)).content)
    assert cells.count(MAINTAIN) >= len(EDITED)
    page = client.get(url("report", reference)).content.decode()
    assert f">{MAINTAIN}</td>" in page


def test_remark_restore_brings_back_the_drafted_sentence(client, reference, supervisor):
    client.force_login(supervisor)
    narratives_save(assessment=reference, texts={}, remarks={4: MAINTAIN})
    drafted = next(s for s in report_data(reference.organisation, 2568).indicators if s.number == 4)
    data = posted(client, reference)
    assert data["remark_4"] == MAINTAIN
    data["restore_remark_4"] = "on"

    client.post(url("narratives-edit", reference), data)

    section = next(s for s in report_data(reference.organisation, 2568).indicators if s.number == 4)
    assert section.remark == ""
    assert section.verdict_text == drafted.drafted_remark
    assert IndicatorResult.objects.get(assessment=reference, indicator__number=4).remark == ""


def test_remark_edit_page_shows_who_edited(client, reference, supervisor):
    client.force_login(supervisor)
    data = posted(client, reference)
    data["remark_6"] = MAINTAIN
    client.post(url("narratives-edit", reference), data)

    page = client.get(url("narratives-edit", reference)).content.decode()

    assert "supervisor" in page
    assert page.count('class="edited"') >= 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.VIEWER])
def test_remark_edit_is_refused_to_clerks_and_viewers(client, reference, role):
    client.force_login(user_with_role(reference.organisation, role, f"u-{role}"))

    response = client.post(url("narratives-edit", reference), {"remark_4": MAINTAIN})

    assert response.status_code == 403
    assert not IndicatorResult.objects.filter(assessment=reference, remark=MAINTAIN).exists()


def test_remark_edit_of_another_organisation_is_not_found(client, reference, outsider):
    client.force_login(outsider)

    response = client.post(url("narratives-edit", reference), {"remark_4": MAINTAIN})

    assert response.status_code == 404
    assert not IndicatorResult.objects.filter(assessment=reference, remark=MAINTAIN).exists()


def test_remark_too_long_is_refused_by_the_form_with_nothing_saved(client, reference, supervisor):
    client.force_login(supervisor)
    data = posted(client, reference)
    data["remark_4"] = "ก" * (REMARK_MAX_LENGTH + 1)
    data["remark_6"] = MAINTAIN

    response = client.post(url("narratives-edit", reference), data)

    assert response.status_code == 200
    assert response.context["form"].errors["remark_4"]
    assert not IndicatorResult.objects.filter(assessment=reference, remark=MAINTAIN).exists()


def test_remark_too_long_is_refused_by_the_service_in_thai_and_english(reference):
    with pytest.raises(ValidationError) as raised:
        narratives_save(
            assessment=reference,
            texts={6: "ข้อความ"},
            remarks={4: "ก" * (REMARK_MAX_LENGTH + 1)},
        )
    message = raised.value.messages[0]
    assert "2001" in message and "/ The remark of indicator 4" in message
    assert not IndicatorResult.objects.filter(assessment=reference, analysis="ข้อความ").exists()


def test_remark_analysis_too_long_is_refused_by_the_service(reference):
    with pytest.raises(ValidationError):
        narratives_save(assessment=reference, texts={4: "ก" * (ANALYSIS_MAX_LENGTH + 1)})


def test_remark_stored_huge_text_is_cut_so_the_documents_still_build(client, reference, supervisor):
    huge = "ข" * 2_000_000
    IndicatorResult.objects.filter(assessment=reference, indicator__number=4).update(
        analysis=huge, remark=huge
    )
    section = next(s for s in report_data(reference.organisation, 2568).indicators if s.number == 4)
    assert section.analysis == "ข" * ANALYSIS_MAX_LENGTH + TRUNCATION_MARK
    assert section.verdict_text == "ข" * REMARK_MAX_LENGTH + TRUNCATION_MARK
    client.force_login(supervisor)

    docx = client.get(url("report-docx", reference))

    assert docx.status_code == 200
    assert any(cell.endswith(TRUNCATION_MARK) for cell in docx_cells(docx.content))


@pytest.mark.parametrize("edits", [1, 3])
def test_remark_edit_page_query_count_does_not_grow(
    client, reference, supervisor, edits, django_assert_num_queries
):
    narratives_save(assessment=reference, texts={}, remarks=dict.fromkeys(EDITED[:edits], MAINTAIN))
    client.force_login(supervisor)
    client.get(url("narratives-edit", reference))

    # 10: the report's year figures come from the figures cache the first visit filled
    # (documents.content.report_data reads ita.queries.cached_year_figures), 7 fewer than 17;
    # the membership comes with the organisation (ita.access).
    with django_assert_num_queries(10):
        response = client.get(url("narratives-edit", reference))

    assert len(response.context["form"].sections) == 10
