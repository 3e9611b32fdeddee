"""A long plan laid out and written by two processes (documents.exports.halves) prints and
extracts exactly as WeasyPrint's own render in one process, page breaks and "page X/Y"
included, whether the two layouts meet or not and when the child fails."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.utils import translation

from documents.content import DocumentOptions, plan_document
from documents.exports import children, halves, tounicode
from documents.exports.pdf import DOCUMENT_BASE_URL, _document_styles, _fetcher, static_file
from documents.exports.plan import plan_html
from ita.thai import as_digits
from tests.documents.conftest import (
    another_thread_rendering,
    organisation_with_years,
    plan_with_actions,
)
from tests.documents.test_pdf_text import poppler

THAI = DocumentOptions(thai_digits=True)
STEPS = "ปรับปรุงการเผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงานให้ครบถ้วน ที่นี่ น้ำหนัก "


def plan_like(rows: int, *, even: bool = False) -> str:
    """A landscape plan-like table; rows of one to four lines, or all alike (even)."""
    body = "".join(
        f"<tr><td>{n}. การเปิดเผยข้อมูล</td><td>ผลการดำเนินงานไม่ครบถ้วน</td>"
        f"<td>{STEPS * (1 if even else 1 + (n * 7) % 4)}</td><td>สำนักปลัด</td></tr>"
        for n in range(1, rows + 1)
    )
    return (
        '<html lang="th"><head><meta charset="utf-8"><title>แผน</title></head><body>'
        '<article class="document plan digits-thai" data-page-label="หน้า" '
        'data-running="แผนพัฒนา"><h1>แผนพัฒนาการส่งเสริมคุณธรรม</h1>'
        '<table class="plan-table"><thead><tr><th>ตัวชี้วัด</th><th>ข้อค้นพบ</th>'
        f"<th>มาตรการ</th><th>ผู้รับผิดชอบ</th></tr></thead><tbody>{body}</tbody></table>"
        "</article></body></html>"
    )


def one_process(html: str) -> bytes:
    from weasyprint import HTML

    tounicode.install()
    stylesheet, fonts = _document_styles()
    return HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=_fetcher()).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )


def two_processes(html: str) -> bytes:
    tounicode.install()
    pdf = halves.render(
        html, *_document_styles(), base_url=DOCUMENT_BASE_URL, url_fetcher=_fetcher()
    )
    assert pdf is not None
    return pdf


def page_images(pdf: bytes) -> list[bytes]:
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "40", "-png", source, f"{folder}/p"], check=True)
        return [
            Image.open(path).convert("RGB").tobytes()
            for path in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem[2:]))
        ]


def assert_same_document(pdf: bytes, reference: bytes) -> None:
    assert poppler("pdftotext", pdf, "-layout") == poppler("pdftotext", reference, "-layout")
    assert page_images(pdf) == page_images(reference)


@pytest.fixture
def spied(monkeypatch):
    """Counts of forks and of joined PDFs (a join means the two layouts met)."""
    calls = {"fork": 0, "joined": 0}
    fork, joined = os.fork, halves.joined

    def counted_fork() -> int:
        calls["fork"] += 1
        return fork()

    def counted_joined(parts: list[bytes]) -> bytes:
        calls["joined"] += 1
        return joined(parts)

    monkeypatch.setattr(halves.os, "fork", counted_fork)
    monkeypatch.setattr(halves, "joined", counted_joined)
    return calls


@pytest.mark.parametrize("even", [False, True])
def test_halves_render_prints_and_extracts_as_one_process(spied, even):
    html = plan_like(70, even=even)

    pdf = two_processes(html)

    # Rows alike meet at once; these uneven ones do not (pages of 6 and 7 rows), so the
    # pages are laid out here and written by a second child.
    assert spied == ({"fork": 1, "joined": 1} if even else {"fork": 2, "joined": 1})
    reference = one_process(html)
    assert_same_document(pdf, reference)
    pages = poppler("pdftotext", pdf).split("\f")
    total = len([page for page in pages if page.strip()])
    assert total >= 5
    assert f"หน้า ๑/{as_digits(total, thai=True)}" in pages[0]  # "page X/Y" counts all
    assert f"หน้า {as_digits(total, thai=True)}/{as_digits(total, thai=True)}" in pages[-2]
    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all("Sarabun" in line for line in fonts)
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts)


def test_halves_render_keeps_the_title_language_and_outline(spied):
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(two_processes(plan_like(70))))

    assert spied["joined"] == 1
    assert [item.title for item in pdf.outline] == ["แผนพัฒนาการส่งเสริมคุณธรรม"]
    assert pdf.metadata.title == "แผน"
    assert pdf.trailer["/Root"]["/Lang"] == "th"


def test_halves_render_layouts_that_never_meet_give_the_serial_pages(spied, monkeypatch):
    # Rows all alike and the child started one row late: its pages never start where this
    # process's do, so this process lays out the whole document itself and a second child
    # writes half of the pages.
    restart_at = halves.Layout.restart_at
    monkeypatch.setattr(halves.Layout, "restart_at", lambda self, row: restart_at(self, row + 1))
    html = plan_like(70, even=True)

    pdf = two_processes(html)

    assert spied == {"fork": 2, "joined": 1}
    assert_same_document(pdf, one_process(html))


def test_halves_render_child_failure_gives_the_serial_pages(spied, monkeypatch):
    def broken(self, row: int) -> None:  # only the first child restarts; it then exits 1
        raise RuntimeError("child failed")

    monkeypatch.setattr(halves.Layout, "restart_at", broken)
    html = plan_like(70, even=True)

    pdf = two_processes(html)

    assert spied == {"fork": 2, "joined": 1}
    assert_same_document(pdf, one_process(html))


def test_halves_render_short_table_one_process(spied):
    html = plan_like(halves.MIN_ROWS - 1)

    pdf = two_processes(html)

    assert spied["fork"] == 0
    assert_same_document(pdf, one_process(html))


def test_halves_render_while_another_thread_renders_does_not_fork(spied):
    html = plan_like(70, even=True)

    with another_thread_rendering(), children.rendering():  # as render_pdf counts this one
        pdf = two_processes(html)

    assert spied == {"fork": 0, "joined": 0}
    assert_same_document(pdf, one_process(html))
    assert children._rendering == 0


@pytest.mark.django_db
def test_halves_plan_pdf_of_many_actions_as_one_process(spied, settings):
    settings.DOCUMENTS_BUILD_APART = False  # the halves' forks and join seen from here
    organisation = organisation_with_years([2568])
    plan_with_actions(organisation, 60)
    with translation.override("th"):
        document = plan_document(organisation, 2569)
        from documents import exports

        pdf = exports.plan_pdf(document, THAI)
        html = plan_html(document, THAI)

    assert spied == {"fork": 1, "joined": 1}
    assert_same_document(pdf, one_process(html))


def test_halves_stylesheet_has_nothing_a_child_page_cannot_know():
    # The child lays pages out without knowing their number or side: page selectors that
    # depend on them, page-based counters in the content and footnotes would differ.
    css = static_file("css/documents.css").read_text()
    assert not re.search(r"@page[^{]*:(first|left|right|blank|nth)", css)
    assert "target-counter" not in css and "footnote" not in css
    # counter(pages) only in margin boxes: nothing left of it once the @page rules are out.
    outside, depth, index = [], 0, 0
    while index < len(css):
        if depth == 0 and css.startswith("@page", index):
            depth, index = 0, css.index("{", index)
            level = 0
            while True:
                level += {"{": 1, "}": -1}.get(css[index], 0)
                index += 1
                if level == 0:
                    break
            continue
        outside.append(css[index])
        index += 1
    assert "counter(pages" in css
    assert "counter(pages" not in "".join(outside)
