"""Text extracted from the PDFs equals the source text, Thai marks and ำ included, whatever
word a font happened to draw first. Checked with poppler (pdftotext, pdffonts)."""

from __future__ import annotations

import hashlib
import inspect
import re
import shutil
import subprocess

import pytest
from django.utils import translation

from documents import exports
from documents.content import DocumentOptions, plan_document, report_data
from documents.exports import tounicode
from documents.exports.pdf import render_pdf

ARABIC = DocumentOptions(thai_digits=False)
ORGANISATION = "องค์การบริหารส่วนตำบลคลองหินปูน"
# ำ, ้ over ำ, ่ and ี่ stacked, ็, and words where า and ำ meet in either order.
PARAGRAPH = (
    f"{ORGANISATION} กองคลัง 94.39 น้ำหนัก ดำเนินงาน ที่นี่ เป็นก็ได้ ตำบล การ "
    "สำนักปลัด ค่าน้ำ จำนวน ผู้ใหญ่ ทั้งนี้ กำหนด ตัวชี้วัด อยู่ที่ อยู่ในระดับ ผ่านดี"
)
# A Thai vowel or tone mark that extraction parted from its letter starts a word.
STRAY_MARK = re.compile(r"(?:^|\s)[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", re.MULTILINE)


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    command = [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"]
    result = subprocess.run(command, input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def paragraph_pdf(text: str) -> bytes:
    return render_pdf(
        '<html><head><link rel="stylesheet" href="/static/css/documents.css"></head>'
        f'<body class="document"><p style="font-family: Sarabun">{text}</p></body></html>'
    )


def test_paragraph_pdf_extracts_exactly_as_its_thai_source():
    pdf = paragraph_pdf(PARAGRAPH)

    assert words(poppler("pdftotext", pdf)) == PARAGRAPH


@pytest.mark.parametrize("text", ["ตำบล การ ตำบล", "การ ตำบล การ", "น้ำ นา น้ำ"])
def test_paragraph_pdf_text_does_not_depend_on_which_word_came_first(text):
    pdf = paragraph_pdf(text)

    assert words(poppler("pdftotext", pdf)) == text


def test_paragraph_pdf_embeds_every_font():
    pdf = paragraph_pdf(PARAGRAPH)

    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts
    assert all("Sarabun" in line and line.split()[-5:-2] == ["yes"] * 3 for line in fonts)


@pytest.mark.django_db
def test_report_pdf_extracts_the_organisation_and_its_figures(reference):
    with translation.override("th"):
        report = report_data(reference.organisation, 2568, ARABIC)
        pdf = exports.report_pdf(report, ARABIC)

    text = poppler("pdftotext", pdf)
    pages = text.split("\f")[:-1]
    assert str(reference.organisation) == ORGANISATION
    assert words(text).count(ORGANISATION) >= 10
    assert f"หน้า {len(pages)}/{len(pages)}" in text  # the page footer
    assert "มีผลคะแนน 94.39 คะแนน อยู่ในระดับ ผ่านดี" in words(text)
    assert "กองคลัง" in text
    assert "น้ำหนัก" in text
    for broken in ["ตาบล", "กำร", "ดาเนิน", "นาหนัก"]:
        assert broken not in text
    assert not STRAY_MARK.findall(text)
    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts
    assert all(line.split()[-5:-2] == ["yes"] * 3 for line in fonts)  # emb, sub, uni


@pytest.mark.django_db
def test_plan_pdf_extracts_its_running_header_and_divisions(reference_plan):
    with translation.override("th"):
        document = plan_document(reference_plan.organisation, 2569)
        pdf = exports.plan_pdf(document, ARABIC)

    text = poppler("pdftotext", pdf)
    pages = text.split("\f")[:-1]
    header = f"{ORGANISATION} · แผนพัฒนาและปรับปรุง ปีงบประมาณ พ.ศ. 2569"
    assert len(pages) > 1
    assert all(header in page.splitlines() for page in pages)
    assert "กองคลัง" in text
    assert "สำนักปลัด" in text
    assert "ตาบล" not in text
    assert "กำร" not in text
    assert not STRAY_MARK.findall(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("uni0E48.small", "\u0e48"),
        ("uni0E4D0E49", "\u0e4d\u0e49"),
        ("uni0E47.narrow", "\u0e47"),
        ("u1F600", "\U0001f600"),
        ("uniD800", ""),
        ("f_i", "fi"),
        (".notdef", ""),
        ("space", ""),
    ],
)
def test_glyph_name_text_reads_adobe_glyph_list_names(name, expected):
    by_name = {"f": "f", "i": "i"} if name == "f_i" else None

    assert tounicode.glyph_name_text(name, by_name) == expected


def test_cluster_spans_group_consecutive_glyphs_of_one_cluster():
    # ต + ำ drawn as ต, ํ, า: the last two glyphs share the cluster of ำ (byte 3).
    assert tounicode.cluster_spans([0, 3, 3, 6]) == [(0, 1), (1, 3), (3, 4)]
    assert tounicode.cluster_spans([]) == []


def test_letters_join_thai_marks_to_the_letter_before_them():
    # น้ำหนัก: น, then ้ำ shaped as a ligature ํ้ and า, then ห.
    pieces = [(0, 1, "น", "น"), (1, 3, "้ำ", "ํ้า"), (3, 4, "ห", "ห")]

    assert tounicode.letters(pieces) == [
        (0, 3, "น้ำ", "นํ้า", True),
        (3, 4, "ห", "ห", False),
    ]


# The WeasyPrint function the module copies; a new WeasyPrint must be re-read and re-copied.
COPIED_SOURCE_SHA256 = "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b"


def test_tounicode_replaces_the_weasyprint_function_it_was_copied_from():
    import weasyprint
    from weasyprint.draw import text

    tounicode.install()

    assert weasyprint.__version__ == tounicode.SUPPORTED_WEASYPRINT
    assert text.draw_first_line is tounicode.draw_first_line
    source = inspect.getsource(tounicode.original_draw_first_line)
    assert hashlib.sha256(source.encode()).hexdigest() == COPIED_SOURCE_SHA256


def test_tounicode_leaves_another_weasyprint_version_alone(monkeypatch):
    import weasyprint
    from weasyprint.draw import text

    tounicode.install()
    monkeypatch.setattr(text, "draw_first_line", tounicode.original_draw_first_line)
    monkeypatch.setattr(weasyprint, "__version__", "99.0")

    assert tounicode.install() is False
    assert text.draw_first_line is tounicode.original_draw_first_line
