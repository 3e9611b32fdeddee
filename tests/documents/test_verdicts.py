"""Each indicator's verdict (improve / maintain) is the organisation's to change.

The organisation's signed 2568 document (อบต.คลองหินปูน) says "รักษาระดับ" for indicators 4, 6
and 10, where the rule (below 95: improve) drafts "ปรับปรุง".
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from docx import Document

from documents.content import IndicatorSection, report_data
from ita.judgement import Verdict
from ita.models import IndicatorResult
from ita.services.narratives import narratives_save
from tests.documents.test_remarks import pdf_text, posted, url

pytestmark = pytest.mark.django_db

SIGNED_MAINTAIN = (4, 6, 10)
MAINTAIN = "รักษาระดับ"


def docx_cells(content: bytes) -> list[str]:
    """Each table cell once (python-docx repeats a merged cell in every row it spans)."""
    document = Document(io.BytesIO(content))
    cells = {}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cells[cell._tc] = cell.text  # the element, kept alive as the key
    return list(cells.values())


def sections(assessment) -> dict[int, object]:
    return {s.number: s for s in report_data(assessment.organisation, 2568).indicators}


def section_with(verdict: Verdict, drafted: Verdict, remark: str = "") -> IndicatorSection:
    return IndicatorSection(
        number=4,
        name="การใช้ทรัพย์สินของราชการ",
        tool="IIT",
        score=Decimal("94.38"),
        channels=(),
        questions=(),
        verdict=verdict,
        analysis="",
        drafted=True,
        remark=remark,
        drafted_verdict=drafted,
    )


def test_verdict_section_prints_the_sentence_of_the_chosen_verdict():
    with translation.override("th"):
        chosen = section_with(Verdict.MAINTAIN, Verdict.IMPROVE)
        drafted = section_with(Verdict.IMPROVE, Verdict.IMPROVE)

        assert chosen.verdict_edited and not drafted.verdict_edited
        assert chosen.verdict_text.startswith(MAINTAIN)
        assert drafted.verdict_text.startswith("ปรับปรุง")
        assert chosen.drafted_verdict_label == drafted.drafted_verdict_label == "ปรับปรุง"


def test_verdict_section_with_a_saved_remark_prints_the_remark():
    section = section_with(Verdict.MAINTAIN, Verdict.IMPROVE, remark="ข้อความของ อบต.")

    assert section.verdict_text == "ข้อความของ อบต."


def test_verdict_drafted_for_4_6_10_is_improve_unlike_the_signed_document(reference):
    drafted = sections(reference)

    assert [drafted[n].verdict for n in SIGNED_MAINTAIN] == [Verdict.IMPROVE] * 3
    assert not any(drafted[n].verdict_edited for n in SIGNED_MAINTAIN)


def test_verdict_set_to_maintain_for_4_6_10_prints_in_pdf_docx_and_page(
    client, reference, supervisor
):
    client.force_login(supervisor)
    before_pdf = pdf_text(client.get(url("report-pdf", reference)).content).count(MAINTAIN)
    before_cells = docx_cells(client.get(url("report-docx", reference)).content)
    before_docx = sum(MAINTAIN in c for c in before_cells)
    data = posted(client, reference)
    assert all(data[f"verdict_{n}"] == "improve" for n in SIGNED_MAINTAIN)
    for number in SIGNED_MAINTAIN:
        data[f"verdict_{number}"] = "maintain"

    response = client.post(url("narratives-edit", reference), data)

    assert response["Location"] == url("report", reference)
    saved = IndicatorResult.objects.filter(assessment=reference, verdict="maintain")
    assert sorted(saved.values_list("indicator__number", flat=True)) == list(SIGNED_MAINTAIN)
    # The remark was left as the drafted sentence, so it follows the new verdict.
    assert not IndicatorResult.objects.filter(assessment=reference).exclude(remark="").exists()
    after = sections(reference)
    assert all(after[n].verdict is Verdict.MAINTAIN for n in SIGNED_MAINTAIN)
    assert all(after[n].verdict_text.startswith(MAINTAIN) for n in SIGNED_MAINTAIN)
    after_pdf = pdf_text(client.get(url("report-pdf", reference)).content).count(MAINTAIN)
    assert after_pdf == before_pdf + len(SIGNED_MAINTAIN)
    cells = docx_cells(client.get(url("report-docx", reference)).content)
    assert sum(MAINTAIN in c for c in cells) == before_docx + len(SIGNED_MAINTAIN)
    page = client.get(url("report", reference)).content.decode()
    assert page.count("verdict--maintain") == sum(
        s.verdict is Verdict.MAINTAIN for s in after.values()
    )


def test_verdict_edit_page_marks_the_edited_verdict(client, reference, supervisor):
    client.force_login(supervisor)
    narratives_save(assessment=reference, texts={}, verdicts={6: "maintain"})

    page = client.get(url("narratives-edit", reference)).content.decode()

    section = page[page.index('id="indicator-6"') : page.index('id="indicator-7"')]
    assert "แก้ไขผลการพิจารณาแล้ว" in section
    assert 'value="maintain" class="narrative-verdict" id="id_verdict_6_1" checked' in section
    assert "แก้ไขผลการพิจารณาแล้ว" not in page[page.index('id="indicator-7"') :]


def test_verdict_restore_brings_back_the_drafted_verdict(client, reference, supervisor):
    client.force_login(supervisor)
    narratives_save(assessment=reference, texts={}, verdicts={4: "maintain"})
    data = posted(client, reference)
    assert data["verdict_4"] == "maintain"
    data["restore_verdict_4"] = "on"

    client.post(url("narratives-edit", reference), data)

    assert IndicatorResult.objects.get(assessment=reference, indicator__number=4).verdict == ""
    assert sections(reference)[4].verdict is Verdict.IMPROVE


def test_verdict_chosen_equal_to_the_draft_is_saved_as_no_choice(client, reference, supervisor):
    client.force_login(supervisor)
    data = posted(client, reference)

    client.post(url("narratives-edit", reference), data)

    assert not IndicatorResult.objects.filter(assessment=reference).exclude(verdict="").exists()


def test_verdict_unknown_value_is_refused_by_the_form(client, reference, supervisor):
    client.force_login(supervisor)
    data = posted(client, reference)
    data["verdict_4"] = "excellent"
    data["verdict_6"] = "maintain"

    response = client.post(url("narratives-edit", reference), data)

    assert response.status_code == 200
    assert response.context["form"].errors["verdict_4"]
    assert not IndicatorResult.objects.filter(assessment=reference).exclude(verdict="").exists()


def test_verdict_unknown_value_is_refused_by_the_service_in_thai_and_english(reference):
    with pytest.raises(ValidationError) as raised:
        narratives_save(
            assessment=reference, texts={6: "ข้อความ"}, verdicts={6: "maintain", 4: "excellent"}
        )

    message = raised.value.messages[0]
    assert "excellent" in message and "/ The verdict of indicator 4" in message
    assert not IndicatorResult.objects.filter(assessment=reference, analysis="ข้อความ").exists()
    assert not IndicatorResult.objects.filter(assessment=reference).exclude(verdict="").exists()


def test_verdict_saved_is_recorded_in_the_history(reference):
    changed = narratives_save(assessment=reference, texts={}, verdicts={10: "maintain"})

    row = IndicatorResult.objects.get(assessment=reference, indicator__number=10)
    assert changed == [10]
    assert row.history.first().verdict == "maintain"
