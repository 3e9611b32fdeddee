"""The charts as PNG for the DOCX files: the PDF's SVG (labels as shaped glyphs) drawn by
CairoSVG, so Word shows the chart the PDF shows."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from ita.charts import SERIES_COLOURS, Series, bar_chart
from ita.charts.raster import PNG_SCALE, chart_png

BLUE = tuple(int(SERIES_COLOURS[0][i : i + 2], 16) for i in (1, 3, 5))


def chart(values: list[str]) -> str:
    return bar_chart(
        ["IIT", "EIT", "OIT"],
        [Series("2568", [Decimal(v) for v in values])],
        title="ผลคะแนนรายเครื่องมือ",
        threshold=Decimal("85"),
        threshold_label="เกณฑ์ผ่าน",
        width=640,
        height=280,
    )


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_chart_png_is_the_chart_at_twice_its_size_on_white():
    picture = image(chart_png(chart(["97.54", "91.59", "94.13"])))

    assert picture.size == (640 * PNG_SCALE, 280 * PNG_SCALE)
    assert picture.getpixel((0, 0)) == (255, 255, 255)


def test_chart_png_draws_the_bars_in_the_series_colour_as_tall_as_their_scores():
    tall = image(chart_png(chart(["100", "100", "100"])))
    short = image(chart_png(chart(["20", "20", "20"])))

    def blue_pixels(picture: Image.Image) -> int:
        counts = {colour: count for count, colour in picture.getcolors(maxcolors=1 << 24)}
        return counts.get(BLUE, 0)

    assert blue_pixels(short) > 0
    assert blue_pixels(tall) > 3 * blue_pixels(short)


def test_chart_png_draws_the_thai_labels():
    with_label = image(chart_png(chart(["90", "90", "90"])))
    svg = str(chart(["90", "90", "90"])).replace("เกณฑ์ผ่าน", "")
    without_label = image(chart_png(svg))

    assert with_label.tobytes() != without_label.tobytes()
