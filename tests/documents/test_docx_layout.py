"""The DOCX files' layout: fixed column widths that fit the page, rows that never split, the
header row repeated, decimal page numbers, scores on one line, the signatures kept with the
last rows, and the PDF's charts as pictures."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from documents import exports
from documents.content import DocumentOptions, plan_document, report_data
from documents.exports.docx_layout import fit_widths, text_width_cm, unbreakable
from ita.charts.raster import chart_png

THAI = DocumentOptions(thai_digits=True)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_fit_widths_keeps_widths_that_fit():
    assert fit_widths((3, 4, 5), 3, 16.5) == [3, 4, 5]


def test_fit_widths_scales_widths_that_are_too_wide_down_to_the_text_width():
    widths = fit_widths((10, 10, 13), 3, 16.5)

    assert sum(widths) == pytest.approx(16.5)
    assert widths[0] == pytest.approx(5) and widths[2] == pytest.approx(6.5)


def test_fit_widths_without_widths_is_equal_columns():
    assert fit_widths((), 4, 16) == [4, 4, 4, 4]


def test_fit_widths_refuses_a_width_count_unlike_the_columns():
    with pytest.raises(ValueError):
        fit_widths((3, 4), 3, 16.5)


def test_unbreakable_joins_a_score_with_no_break_spaces():
    assert unbreakable("๑๐ / ๐.๐๐") == "๑๐\u00a0/\u00a0๐.๐๐"


def grid_cm(table) -> list[float]:
    grid = table._tbl.find(qn("w:tblGrid"))
    return [int(col.get(qn("w:w"))) * 2.54 / 1440 for col in grid.findall(qn("w:gridCol"))]


def assert_tables_fixed_and_fitting(document) -> None:
    width = text_width_cm(document)
    for table in document.tables:
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert sum(grid_cm(table)) <= width + 0.01
        assert tbl_pr.find(qn("w:tblW")).get(qn("w:type")) == "dxa"
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def footer_fields(document) -> list[str]:
    footer = document.sections[0].footer._element
    return [t.text.strip() for t in footer.iter(qn("w:instrText"))]


def last_table_keeps_with_the_signatures(document) -> bool:
    plan_table, signatures = document.tables[-2], document.tables[-1]
    last_row = plan_table.rows[-1]
    spacer = signatures._tbl.getprevious()
    return (
        all(p.paragraph_format.keep_with_next for c in last_row.cells for p in c.paragraphs)
        and spacer.pPr.keepNext is not None
        and signatures.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    )


@pytest.mark.django_db
def test_report_docx_layout_and_charts(reference):
    with translation.override("th"):
        data = report_data(reference.organisation, 2568, THAI)
        content = exports.report_docx(data, THAI)

    document = Document(io.BytesIO(content))
    assert_tables_fixed_and_fitting(document)
    headers = [t.rows[0]._tr.trPr.find(qn("w:tblHeader")) for t in document.tables[:-1]]
    assert all(h is not None for h in headers)
    assert footer_fields(document) == [r"PAGE \* Arabic", r"NUMPAGES \* Arabic"]
    assert "ThaiArabic" not in content.decode("latin-1")
    assert last_table_keeps_with_the_signatures(document)
    pictures = [
        document.part.related_parts[blip.get(qn("r:embed"))].blob
        for blip in document.element.body.iter(qn("a:blip"))
    ]
    assert len(pictures) == 3
    assert pictures[2] == chart_png(data.charts.tools)  # the PDF's chart, drawn as PNG
    assert all(p.startswith(PNG_SIGNATURE) for p in pictures)
    summary = next(t for t in document.tables if t.rows[0].cells[1].text == "รายละเอียดตัวชี้วัด")
    score_cell = summary.rows[1].cells[2]
    assert score_cell._tc.tcPr.find(qn("w:noWrap")) is not None


@pytest.mark.django_db
def test_plan_docx_layout_and_council_note(reference_plan):
    reference_plan.council_note = "สมัยสามัญ สมัยที่ ๔ ครั้งที่ ๑"
    reference_plan.save(update_fields=["council_note"])
    with translation.override("th"):
        content = exports.plan_docx(plan_document(reference_plan.organisation, 2569), THAI)

    document = Document(io.BytesIO(content))
    assert_tables_fixed_and_fitting(document)
    assert sum(grid_cm(document.tables[0])) == pytest.approx(26.6, abs=0.01)
    assert footer_fields(document) == [r"PAGE \* Arabic", r"NUMPAGES \* Arabic"]
    assert last_table_keeps_with_the_signatures(document)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "สมัยสามัญ สมัยที่ ๔ ครั้งที่ ๑" in text
