"""Printing: a chart's text as glyph outlines shaped by HarfBuzz.

WeasyPrint (up to at least 70) draws SVG text code point by code point, which drops Thai
marks stacked on an upper vowel (ที่ prints as ที). `for_print` turns a chart's text into glyph
outlines shaped by HarfBuzz, so printed documents show the same Thai as the browser does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from ita.charts.svg import BOLD_FONT_FILE, FONT_FILE, FONT_SIZE, SVG_NS, TEXT, _fmt


@dataclass(frozen=True)
class _Shaper:
    hb_font: object
    glyph_set: object
    glyph_order: list[str]
    units_per_em: int


@lru_cache(maxsize=2)
def _shaper(bold: bool) -> _Shaper | None:
    """HarfBuzz and the font's outlines, or None when uharfbuzz or the font is missing."""
    try:
        import uharfbuzz as hb
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    path = BOLD_FONT_FILE if bold else FONT_FILE
    if not path.exists():
        return None
    font = TTFont(path)
    return _Shaper(
        hb_font=hb.Font(hb.Face(hb.Blob.from_file_path(str(path)))),
        glyph_set=font.getGlyphSet(),
        glyph_order=font.getGlyphOrder(),
        units_per_em=font["head"].unitsPerEm,
    )


def _shape(shaper: _Shaper, text: str) -> tuple[list[tuple[str, int, int]], int]:
    """Glyph names with their pen positions (font units), and the total advance."""
    import uharfbuzz as hb

    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(shaper.hb_font, buffer, {})
    placed, pen_x = [], 0
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        placed.append((shaper.glyph_order[info.codepoint], pen_x + pos.x_offset, pos.y_offset))
        pen_x += pos.x_advance
    return placed, pen_x


def _glyph_path(shaper: _Shaper, name: str) -> str:
    from fontTools.pens.svgPathPen import SVGPathPen

    pen = SVGPathPen(shaper.glyph_set)
    shaper.glyph_set[name].draw(pen)
    return pen.getCommands()


def for_print(svg: str) -> SafeString:
    """The same chart with every label drawn as shaped glyph outlines (for WeasyPrint).

    Glyphs are defined once in <defs> and placed with <use>. Each label keeps its text in a
    <title>. Without uharfbuzz the chart is returned unchanged.
    """
    if _shaper(False) is None:
        return mark_safe(svg)
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(str(svg))
    prefix = (root.get("aria-labelledby") or "chart").split()[0].removesuffix("-title")
    defs = ET.Element(f"{{{SVG_NS}}}defs")
    defined: set[str] = set()
    for parent in list(root.iter()):
        for index, node in enumerate(list(parent)):
            if node.tag != f"{{{SVG_NS}}}text":
                continue
            parent.remove(node)
            parent.insert(index, _outlined(node, prefix, defs, defined))
    root.insert(2, defs)
    return mark_safe(ET.tostring(root, encoding="unicode"))


def _outlined(node: ET.Element, prefix: str, defs: ET.Element, defined: set[str]) -> ET.Element:
    title = node.find(f"{{{SVG_NS}}}title")
    label = "".join(t for t in [node.text or ""] + [c.tail or "" for c in node])
    bold = node.get("font-weight") == "bold"
    shaper = _shaper(bold)
    assert shaper is not None
    size = float(node.get("font-size", FONT_SIZE))
    scale = size / shaper.units_per_em
    placed, advance = _shape(shaper, label)
    x, y = float(node.get("x", 0)), float(node.get("y", 0))
    anchor = node.get("text-anchor", "start")
    x -= {"end": advance * scale, "middle": advance * scale / 2}.get(anchor, 0)

    group = ET.Element(f"{{{SVG_NS}}}g", {"fill": node.get("fill", TEXT), "aria-label": label})
    group.append(title if title is not None else _title(label))
    for name, gx, gy in placed:
        glyph_id = f"{prefix}-{'b' if bold else 'r'}-{name}"
        if glyph_id not in defined:
            defined.add(glyph_id)
            ET.SubElement(
                defs, f"{{{SVG_NS}}}path", {"id": glyph_id, "d": _glyph_path(shaper, name)}
            )
        ET.SubElement(
            group,
            f"{{{SVG_NS}}}use",
            {
                "href": f"#{glyph_id}",
                "transform": (
                    f"translate({_fmt(x + gx * scale)} {_fmt(y - gy * scale)}) "
                    f"scale({scale:.5f} {-scale:.5f})"
                ),
            },
        )
    return group


def _title(text: str) -> ET.Element:
    title = ET.Element(f"{{{SVG_NS}}}title")
    title.text = text
    return title
