"""SVG charts: well-formed, self-contained, Thai labels as text, numbers where they belong."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from ita import charts

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text")]


def test_bar_chart_is_valid_svg_with_title_desc_and_a_thai_font():
    svg = charts.bar_chart(
        ["IIT", "EIT", "OIT"],
        [charts.Series("2568", [D("97.54"), D("91.59"), D("94.13")])],
        title="คะแนนรายเครื่องมือ",
        desc="IIT 97.54",
    )

    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "คะแนนรายเครื่องมือ"
    assert root.get("font-family").startswith("Sarabun")
    assert "<script" not in svg and "style=" not in svg
    assert {"97.54", "91.59", "94.13", "IIT", "EIT", "OIT"} <= set(texts(svg))


def test_bar_chart_bar_heights_follow_the_values():
    svg = charts.bar_chart(["a", "b"], [charts.Series("", [D(100), D(50)])], title="t", height=230)

    heights = [float(r.get("height")) for r in parse(svg).iter(f"{SVG}rect")]
    assert heights[0] == 2 * heights[1]


def test_bar_chart_with_several_series_has_a_legend_and_a_threshold_key():
    svg = charts.bar_chart(
        ["1", "2"],
        [charts.Series("2567", [D(90), D(91)]), charts.Series("2568", [D(92), None])],
        title="t",
        threshold=D(85),
        threshold_label="เกณฑ์ผ่าน",
    )

    labels = texts(svg)
    assert "2567" in labels and "2568" in labels
    assert "เกณฑ์ผ่าน 85" in labels
    assert len([r for r in parse(svg).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]) == 3


def test_labels_are_escaped():
    svg = charts.bar_chart(["<b>&"], [charts.Series("", [D(1)])], title="a < b", desc="&")

    parse(svg)  # would fail on a raw < or &
    assert "&lt;b&gt;&amp;" in svg


def test_thai_labels_keep_their_tone_marks_as_text():
    name = "การใช้ทรัพย์สินของราชการ"

    svg = charts.horizontal_bar_chart([f"4. {name}"], [D("94.38")], title="ตัวชี้วัด")

    assert f"4. {name}" in texts(svg)


def test_text_width_ignores_thai_marks_that_stack():
    assert charts.text_width("ที่", 10) == charts.text_width("ท", 10)
    assert charts.text_width("abc", 10) > charts.text_width("ab", 10)


def test_fit_label_shortens_with_an_ellipsis_without_splitting_a_cluster():
    long = "การปรับปรุงระบบการทำงานของหน่วยงานภาครัฐ"

    short = charts.fit_label(long, 100, 15)

    assert short.endswith("…")
    assert charts.text_width(short, 15) <= 100
    kept = short[:-1]
    assert long.startswith(kept)
    # the next character is never a mark that belonged to the last kept consonant
    assert long[len(kept)] not in "ัิีึืุู่้๊๋็์"
    assert charts.fit_label("สั้น", 100, 15) == "สั้น"


def test_shortened_label_keeps_the_full_text_as_a_tooltip():
    long = "7. ประสิทธิภาพการสื่อสารและการประชาสัมพันธ์ของหน่วยงาน"

    svg = charts.horizontal_bar_chart([long], [D(90)], title="t", label_width=120)

    label = next(t for t in parse(svg).iter(f"{SVG}text") if t.find(f"{SVG}title") is not None)
    assert label.find(f"{SVG}title").text == long


def test_horizontal_bar_chart_highlights_weak_rows():
    svg = charts.horizontal_bar_chart(
        ["1", "2"], [D(90), D(80)], title="t", highlight=[False, True]
    )

    fills = [r.get("fill") for r in parse(svg).iter(f"{SVG}rect")]
    assert fills == [charts.SERIES_COLOURS[0], charts.WEAK]


def test_line_chart_labels_points_and_breaks_at_missing_years():
    svg = charts.line_chart(
        ["2563", "2564", "2565", "2566"],
        [charts.Series("overall", [D("62.40"), None, D("83.91"), D("89.74")])],
        title="t",
        threshold=D(85),
    )

    root = parse(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == 1  # 2563 stands alone; 2565–2566 are joined
    assert {"62.40", "83.91", "89.74", "2563", "2566"} <= set(texts(svg))


def test_line_chart_axis_starts_below_the_lowest_value():
    svg = charts.line_chart(
        ["2567", "2568"], [charts.Series("", [D("91.20"), D("94.39")])], title="t"
    )

    ticks = [t for t in texts(svg) if re.fullmatch(r"\d{1,3}", t)]
    assert ticks[0] == "80"
    assert ticks[-1] == "100"


def test_thai_digits_on_request():
    svg = charts.bar_chart(["IIT"], [charts.Series("", [D("97.54")])], title="t", thai=True)

    assert "๙๗.๕๔" in texts(svg)
    assert "97.54" not in texts(svg)


def test_same_input_gives_the_same_markup():
    def make() -> str:
        return charts.line_chart(["2568"], [charts.Series("", [D(94)])], title="t")

    assert make() == make()


def test_for_print_draws_labels_as_shaped_glyphs():
    pytest.importorskip("uharfbuzz")
    svg = charts.horizontal_bar_chart(["1. การปฏิบัติหน้าที่"], [D("98.07")], title="ตัวชี้วัด")

    printed = charts.for_print(svg)

    root = parse(printed)
    assert list(root.iter(f"{SVG}text")) == []
    labels = [g.get("aria-label") for g in root.iter(f"{SVG}g")]
    assert "1. การปฏิบัติหน้าที่" in labels and "98.07" in labels
    glyphs = {p.get("id") for p in root.iter(f"{SVG}path")}
    # HarfBuzz picks the small mai ek that sits on sara ii: WeasyPrint's own text drops it.
    assert any(g.endswith("uni0E48.small") for g in glyphs)
    uses = [u.get("href") for u in root.iter(f"{SVG}use")]
    assert set(uses) <= {f"#{g}" for g in glyphs}


def test_for_print_keeps_the_anchor_of_right_aligned_labels():
    pytest.importorskip("uharfbuzz")
    svg = charts.horizontal_bar_chart(["ก"], [D(50)], title="t", label_width=200)

    printed = parse(charts.for_print(svg))

    label = next(g for g in printed.iter(f"{SVG}g") if g.get("aria-label") == "ก")
    x = float(re.match(r"translate\(([\d.]+)", label.find(f"{SVG}use").get("transform")).group(1))
    width = charts.text_width("ก", charts.FONT_SIZE)
    assert abs(x + width - (200 - 8)) < 0.5  # ends where the label's text-anchor="end" was
