"""The running title and page number in the page margins: their margin boxes take the page's
width (WeasyPrint then skips sizing them from their content on every page) and print their
text where `width: auto` put it."""

from __future__ import annotations

from typing import Any

import pytest

from documents.exports.pdf import DOCUMENT_BASE_URL, _document_styles, _fetcher

RUNNING = "องค์การบริหารส่วนตำบลคลองหินปูน · แผนการยกระดับ ปีงบประมาณ 2570"
AUTO_WIDTH = "@page { @top-right { width: auto; } @bottom-right { width: auto; } }"


def margin_texts(layout: str, extra_css: str = "") -> dict[str, tuple[float, float, float]]:
    """(margin box width, text's left x, text's right x) of each right margin box, page 1."""
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    stylesheet, fonts = _document_styles()
    sheets = [stylesheet]
    if extra_css:
        sheets.append(CSS(string=extra_css, font_config=fonts))
    html = (
        f'<article class="document {layout} digits-arabic" data-page-label="Page"'
        f' data-running="{RUNNING}"><p>ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่</p></article>'
    )
    document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=_fetcher()).render(
        stylesheets=sheets, font_config=fonts
    )
    page: Any = document.pages[0]._page_box
    found = {}
    for box in page.descendants():
        if isinstance(box, MarginBox) and box.at_keyword in ("@top-right", "@bottom-right"):
            texts = [child for child in box.descendants() if isinstance(child, TextBox)]
            if texts:
                left = min(text.position_x for text in texts)
                right = max(text.position_x + text.width for text in texts)
                found[box.at_keyword] = (box.width, left, right)
    return found


@pytest.mark.parametrize(
    ("layout", "keywords"),
    [
        ("plan", {"@top-right", "@bottom-right"}),
        ("report", {"@bottom-right"}),
    ],
)
def test_right_margin_boxes_span_the_page_and_print_where_auto_width_did(layout, keywords):
    page_area = margin_texts(layout)
    auto = margin_texts(layout, AUTO_WIDTH)

    assert set(page_area) == set(auto) == keywords
    for keyword in keywords:
        width, left, right = page_area[keyword]
        auto_width, auto_left, auto_right = auto[keyword]
        # The box is the page area's width, wider than its text ...
        assert width > auto_width
        assert width > (right - left) * 1.5
        # ... and its right-aligned text lands where it did.
        assert left == pytest.approx(auto_left, abs=0.01)
        assert right == pytest.approx(auto_right, abs=0.01)
