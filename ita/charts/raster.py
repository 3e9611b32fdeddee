"""A chart as a PNG image, for the DOCX files (Word has no SVG the way the PDF does).

The PNG is drawn from the very SVG the PDF prints (`for_print`: labels as glyph outlines
shaped by HarfBuzz), rendered by CairoSVG, so both documents show the same chart and Thai
marks come out the same without depending on the fonts of the machine.
"""

from __future__ import annotations

from ita.charts.printing import for_print

# Pixels per chart unit: the charts are 640 units wide, so 2 gives 1280 px, sharp when
# printed 16 cm wide (about 200 dpi).
PNG_SCALE = 2.0


def chart_png(svg: str, *, scale: float = PNG_SCALE) -> bytes:
    """The chart as PNG bytes on a white background."""
    import cairosvg

    return cairosvg.svg2png(
        bytestring=str(for_print(svg)).encode("utf-8"),
        scale=scale,
        background_color="white",
    )
