"""The documents as files: PDF checked with poppler (pdffonts, pdftotext, pdfinfo), DOCX read
back with python-docx, XLSX with openpyxl. poppler-utils is a test dependency (apt)."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation

from documents import exports
from documents.content import DocumentOptions, plan_document, report_data
from plans.enums import ActionStatus
from tests.documents.conftest import organisation_with_years, plan_with_actions

pytestmark = pytest.mark.django_db

THAI = DocumentOptions(thai_digits=True)
ARABIC = DocumentOptions(thai_digits=False)


def page_size(info: str) -> tuple[float, float]:
    """Width and height in points from pdfinfo's "Page size: 595.276 x 841.89 pts (A4)"."""
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _x, height = line.split()[2:5]
    assert line.endswith("(A4)")
    return float(width), float(height)


def page_count(info: str) -> int:
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    result = subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


@pytest.fixture
def report(reference):
    """Indicator names in Thai (the interface's language when the data was gathered)."""
    with translation.override("th"):
        return report_data(reference.organisation, 2568, THAI)


def test_report_pdf_embeds_sarabun_and_prints_the_reference_numbers_in_thai_digits(report):
    with translation.override("en"):
        pdf = exports.report_pdf(report, THAI)

    fonts = poppler("pdffonts", pdf)
    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert sarabun
    assert all(line.split()[-5] == "yes" for line in sarabun)  # the "emb" column
    assert not [line for line in fonts.splitlines()[2:] if "Sarabun" not in line]
    text = poppler("pdftotext", pdf, "-layout")
    for figure in ["๙๔.๓๙", "๙๘.๐๗", "๙๙.๑๒", "๘๘.๔๒", "๙๐.๕๕", "๙๐.๐๐"]:
        assert figure in text
    assert "94.39" not in text
    assert "กองคลัง" in text
    assert "ปลัด" in text  # pdftotext drops the ำ of สำนัก; the PNG check shows it
    assert "Page ๑/" in text


def test_report_pdf_with_arabic_digits(reference):
    with translation.override("en"):
        report = report_data(reference.organisation, 2568, ARABIC)
        pdf = exports.report_pdf(report, ARABIC)

    text = poppler("pdftotext", pdf, "-layout")
    for figure in ["94.39", "98.07", "99.12", "96.32", "89.76", "92.00"]:
        assert figure in text
    assert "๙๔.๓๙" not in text
    info = poppler("pdfinfo", pdf)
    width, height = page_size(info)
    assert width < height  # A4 portrait
    pages = page_count(info)
    assert f"Page 1/{pages}" in text
    assert f"Page {pages}/{pages}" in text


def test_plan_pdf_is_a4_landscape_with_page_numbers_and_repeated_header(db):
    organisation = organisation_with_years([2568])
    plan_with_actions(organisation, 30)
    document = plan_document(organisation, 2569)

    with translation.override("en"):
        pdf = exports.plan_pdf(document, ARABIC)

    info = poppler("pdfinfo", pdf)
    width, height = page_size(info)
    assert width > height  # A4 landscape
    pages = page_count(info)
    assert pages > 1
    text = poppler("pdftotext", pdf, "-layout")
    assert text.count("Measure / practice") == pages  # the header row on every page
    assert f"Page {pages}/{pages}" in text
    assert text.count("improvement plan, fiscal year 2569") == pages  # the running header


def test_report_docx_reads_back_with_the_same_tables(report):
    from docx import Document
    from docx.oxml.ns import qn

    with translation.override("en"):
        content = exports.report_docx(report, ARABIC)

    document = Document(io.BytesIO(content))
    texts = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["1", "การปฏิบัติหน้าที่", "98.07"] in texts
    assert ["10", "การป้องกันการทุจริต", "90.00"] in texts
    # The question's code is one unbreakable word: "Item" and "i1" joined by a no-break space.
    question_rows = [row for row in texts if row[2:4] == ["Item\u00a0i1", "96.32"]]
    assert question_rows and question_rows[0][4] == "98.07"
    channel_rows = [row for row in texts if row[2:5] == ["Item\u00a0e4", "88.78", "92.00"]]
    assert ["No.", "Topic", "Question", "Score EitPublic", "Score EitSurvey"] in [
        r[:5] for r in texts
    ]
    assert channel_rows and channel_rows[0][5] == "90.55"
    plan_rows = [row for row in texts if row and row[0].startswith("4. ")]
    assert plan_rows[0][4] == "ตุลาคม 2568 – มีนาคม 2569"
    assert plan_rows[0][5] == "กองคลัง"
    header = document.tables[-2].rows[0]._tr
    assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert "94.39" in "\n".join(p.text for p in document.paragraphs)


def test_plan_docx_is_landscape(reference_plan):
    from docx import Document

    document_data = plan_document(reference_plan.organisation, 2569)
    with translation.override("en"):
        content = exports.plan_docx(document_data, THAI)

    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert section.page_width > section.page_height
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0][0] == "Indicator"
    assert len(rows) == 6
    assert rows[1][4] == "ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙"


def test_report_xlsx_reads_back_with_the_same_numbers(report):
    from openpyxl import load_workbook

    with translation.override("en"):
        content = exports.report_xlsx(report)

    workbook = load_workbook(io.BytesIO(content))
    indicators = workbook["Indicators 2568"]
    rows = list(indicators.iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == (1, "การปฏิบัติหน้าที่", "IIT", 98.07)
    assert rows[9][3] == 90.0
    assert (None, "Overall score", None, 94.39, "ผ่านดี") in rows
    assert indicators["D2"].number_format == "0.00"
    questions = list(workbook["Questions 2568"].iter_rows(min_row=2, values_only=True))
    assert (1, "i1", 96.32, None, None) in questions
    assert questions[15][:5] == (6, "e1", 90.88, 89.76, 92.0)
    plan = list(workbook["Plan 2569"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in plan] == [4, 6, 7, 8, 10]
    assert plan[0][9] == "กองคลัง"


def test_plan_xlsx_shows_buddhist_era_months_and_status_labels(reference_plan):
    from openpyxl import load_workbook

    action = reference_plan.actions.order_by("order", "indicator__number", "pk")[0]
    action.status = ActionStatus.IN_PROGRESS
    action.save()
    document = plan_document(reference_plan.organisation, 2569)
    with translation.override("th"):
        workbook = load_workbook(io.BytesIO(exports.plan_xlsx(document)))

    header = next(workbook.active.iter_rows(max_row=1, values_only=True))
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
    assert header[7:] == ("เดือนที่เริ่ม", "เดือนที่สิ้นสุด", "ผู้รับผิดชอบ", "สถานะ")
    assert len(rows) == 5
    assert rows[0][6] == "ตุลาคม 2568 – มีนาคม 2569"
    assert rows[0][7:9] == ("ต.ค. 2568", "มี.ค. 2569")
    assert rows[0][10] == "กำลังดำเนินการ"
    assert {row[10] for row in rows[1:]} == {"ยังไม่เริ่ม"}
    assert Decimal(str(rows[4][0])) == 10
