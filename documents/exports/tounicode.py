"""Text in the PDFs that extracts and searches as its source, Thai marks and ำ included.

WeasyPrint (70) writes one ToUnicode entry per glyph, taken from the text cluster in which the
glyph is first drawn, and gives a cluster of several glyphs its whole text on the last glyph
and nothing on the others. HarfBuzz draws Thai ำ as two glyphs (ํ + า) and a stacked tone mark
with ํ as one ligature, so the map depends on which word came first in a font:
- า first drawn as the tail of ำ maps to "ำ" everywhere after ("องค์กำรบริหำร");
- า first drawn alone maps to "า", and every ำ after loses its ํ ("ตาบล", "นาหนัก").
A ToUnicode map cannot give one glyph two texts, so here:
1. a glyph drawn inside a cluster of several glyphs maps to its own characters: the font's cmap,
   else its glyph name read by the Adobe Glyph List rules (uni0E4D0E49, uni0E48.small); a
   one-glyph cluster keeps WeasyPrint's mapping (its text);
2. a letter (a cluster and the mark clusters after it) is wrapped in a /Span with /ActualText
   (PDF 32000-1, 14.9.4), which text extraction, search and copy use instead of the glyphs,
   when its glyphs' texts, joined, differ from its source text (ำ) or when it carries marks
   (poppler's reading order otherwise parts a second mark from its letter).
Drawing is unchanged: the same glyphs at the same places, Sarabun as before.
WeasyPrint offers no hook between shaping and writing the glyphs, so ``draw_first_line`` below
is its function copied with those two changes (marked "tounicode:"), installed only over the
version it was copied from; tests pin the original's source so an upgrade is reviewed.
The copied function is WeasyPrint's code, BSD-3-Clause, (c) Kozea.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

# The WeasyPrint release whose draw_first_line is copied below.
SUPPORTED_WEASYPRINT = "70.0"

logger = logging.getLogger(__name__)

_UNI = re.compile(r"uni((?:[0-9A-F]{4})+)")
_U = re.compile(r"u([0-9A-F]{4,6})")


def glyph_name_text(name: str, by_name: dict[str, str] | None = None) -> str:
    """The characters a glyph name stands for (Adobe Glyph List rules), "" when it says none.

    The suffix after "." is a variant ("uni0E48.small" is U+0E48), "_" joins ligature parts,
    "uniXXXX..." holds one or more BMP code points ("uni0E4D0E49"), "uXXXXX" one of any plane.
    Other part names ("f" in "f_i") are looked up in `by_name`, the font's cmap by glyph name.
    """
    names = by_name or {}
    parts = name.split(".", 1)[0].split("_")
    return "".join(names.get(part) or _component_text(part) for part in parts)


def _component_text(part: str) -> str:
    if match := _UNI.fullmatch(part):
        digits = match.group(1)
        codes = [int(digits[i : i + 4], 16) for i in range(0, len(digits), 4)]
        return "" if any(0xD800 <= c <= 0xDFFF for c in codes) else "".join(map(chr, codes))
    if match := _U.fullmatch(part):
        code = int(match.group(1), 16)
        return "" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else chr(code)
    return ""


@lru_cache(maxsize=32)
def _font_glyph_texts(content: bytes, index: int) -> dict[int, str]:
    """Glyph id -> its own characters, for every glyph of a font file (cmap, else glyph name)."""
    from fontTools.ttLib import TTFont

    ttfont = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)
    order = ttfont.getGlyphOrder()
    by_name: dict[str, str] = {}
    for code, name in sorted((ttfont.getBestCmap() or {}).items()):
        by_name.setdefault(name, chr(code))  # lowest code point, e.g. space before no-break
    return {
        glyph_id: by_name.get(name) or glyph_name_text(name, by_name)
        for glyph_id, name in enumerate(order)
    }


def glyph_texts(font: Any) -> dict[int, str]:
    """Own characters of each glyph of a WeasyPrint `Font` (read once per font file)."""
    return _font_glyph_texts(font.file_content, font.index)


def cluster_spans(clusters: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive glyphs that share a cluster, as (first, end) glyph indices."""
    spans = []
    start = 0
    for i in range(1, len(clusters) + 1):
        if i == len(clusters) or clusters[i] != clusters[start]:
            spans.append((start, i))
            start = i
    return spans


# WeasyPrint's own draw_first_line, kept when install() replaces it.
original_draw_first_line: Callable[..., list[Any]] | None = None


def install() -> bool:
    """Draw text with this module's ``draw_first_line``; False (and WeasyPrint's own) when the
    installed WeasyPrint is not the version it was copied from."""
    global original_draw_first_line
    import weasyprint
    from weasyprint.draw import text

    if text.draw_first_line is draw_first_line:
        return True
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        logger.warning(
            "WeasyPrint %s is not %s: PDF text may extract without Thai marks",
            weasyprint.__version__,
            SUPPORTED_WEASYPRINT,
        )
        return False
    original_draw_first_line = text.draw_first_line
    # draw_text and SVG text both look the name up in this module when they draw.
    text.draw_first_line = draw_first_line
    return True


def _close_glyphs(stream: Any, string: str) -> str:
    """Show the open glyph list (as the loop below does) and start a new one."""
    string = string[:-1] if string[-1] == "<" else string + ">"
    if string:
        stream.show_text(string)
    return "<"


@cache
def _is_mark(char: str) -> bool:
    # Cached: asked for the first character of every cluster drawn (tens of thousands a plan).
    return unicodedata.category(char).startswith("M")


@lru_cache(maxsize=1024)
def _span_properties(actual_text: str) -> bytes:
    """The /ActualText property list of a letter, serialised once per text: the same letters
    recur thousands of times in a document, and pydyf would encode each anew."""
    import pydyf

    return pydyf.Dictionary({"ActualText": pydyf.String(actual_text)}).data


def letters(pieces: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str, bool]]:
    """Clusters (first glyph, end glyph, source text, glyphs' text) of a left-to-right run
    joined into letters: a cluster starting with a combining mark (Thai vowels above and
    below, tone marks) joins the one before it. The flag says whether marks were joined."""
    joined: list[tuple[int, int, str, str, bool]] = []
    for first, end, source, produced in pieces:
        if joined and source and _is_mark(source[0]):
            start, _end, text, glyphs_text, _marked = joined[-1]
            joined[-1] = (start, end, text + source, glyphs_text + produced, True)
        else:
            joined.append((first, end, source, produced, False))
    return joined


def _cluster_texts(font: Any, glyph_item: Any, utf8_text: bytes) -> dict[int, tuple[int, str]]:
    """Record each glyph's text in ``font.to_unicode``; return the letters that need
    /ActualText, by first glyph index: (end glyph index, source text).

    A letter needs it when its glyphs' texts do not give its source text, and when it carries
    marks: poppler's reading order otherwise moves a second mark away from its base
    ("อยู่ที่" -> "อยูท ่ ่ี"), while a span is read as one piece at its place."""
    from weasyprint.text.ffi import ffi, pango

    glyph_string = glyph_item.glyphs
    count = glyph_string.num_glyphs
    # One unpack each instead of a C access per glyph (this runs for every line drawn).
    clusters = ffi.unpack(glyph_string.log_clusters, count)
    ids = [info.glyph for info in ffi.unpack(glyph_string.glyphs, count)]
    item = glyph_item.item
    offset, length = item.offset, item.length
    rtl = item.analysis.level % 2
    to_unicode = font.to_unicode
    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    own = None
    pieces = []
    for first, end in cluster_spans(clusters):
        if rtl:
            stop = length if first == 0 else clusters[first - 1]
        else:
            stop = length if end == count else clusters[end]
        source = utf8_text[offset + clusters[first] : offset + stop].decode()
        if end - first == 1 and not ids[first] & unknown:
            glyph_id = ids[first]
            produced = "" if glyph_id == empty else to_unicode.setdefault(glyph_id, source)
            pieces.append((first, end, source, produced))
            continue
        glyph_ids = []
        for glyph_id in ids[first:end]:
            if glyph_id == empty:
                continue
            if glyph_id & unknown:
                codepoint = glyph_id - unknown
                glyph_id = font.get_unused_glyph_id(codepoint)
                to_unicode.setdefault(glyph_id, chr(codepoint))
            glyph_ids.append(glyph_id)
        if len(glyph_ids) == 1:
            to_unicode.setdefault(glyph_ids[0], source)
        else:
            own = own if own is not None else glyph_texts(font)
            for glyph_id in glyph_ids:
                to_unicode.setdefault(glyph_id, own.get(glyph_id, ""))
        pieces.append((first, end, source, "".join([to_unicode[g] for g in glyph_ids])))
    # Right-to-left runs list glyphs in visual order, marks before their base: kept per cluster.
    units = [(*piece, False) for piece in pieces] if rtl else letters(pieces)
    return {
        first: (end, source)
        for first, end, source, produced, marked in units
        if marked or produced != source
    }


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """Draw the given ``textbox`` line to the document ``stream``."""
    from io import BytesIO
    from xml.etree import ElementTree

    from PIL import Image
    from weasyprint.images import RasterImage, SVGImage
    from weasyprint.logger import LOGGER
    from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango
    from weasyprint.text.fonts import get_hb_object_data
    from weasyprint.text.line_break import get_last_word_end

    # Don’t draw lines with only invisible characters.
    if not textbox.text.strip():
        return []

    if textbox.style["font_size"] < 1e-6:  # default float precision used by pydyf
        return []

    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)

    if text_overflow == "ellipsis" or block_ellipsis != "none":
        assert textbox.pango_layout.max_width is not None
        max_width = textbox.pango_layout.max_width
        pango.pango_layout_set_width(textbox.pango_layout.layout, int(max_width * TO_UNITS))
        if text_overflow == "ellipsis":
            pango.pango_layout_set_ellipsize(textbox.pango_layout.layout, pango.PANGO_ELLIPSIZE_END)
        else:
            if block_ellipsis == "auto":
                ellipsis = "…"
            else:
                assert block_ellipsis[0] == "string"
                ellipsis = block_ellipsis[1]

            # Remove last word if hyphenated.
            new_text = textbox.pango_layout.text
            if new_text.endswith(textbox.style["hyphenate_character"]):
                last_word_end = get_last_word_end(
                    new_text[: -len(textbox.style["hyphenate_character"])], textbox.style["lang"]
                )
                if last_word_end:
                    new_text = new_text[:last_word_end]

            textbox.pango_layout.set_text(new_text + ellipsis)

    first_line, index = textbox.pango_layout.get_first_line()

    if block_ellipsis != "none":
        while index:
            last_word_end = get_last_word_end(
                textbox.pango_layout.text[: -len(ellipsis)], textbox.style["lang"]
            )
            if last_word_end is None:
                break
            new_text = textbox.pango_layout.text[:last_word_end]
            textbox.pango_layout.set_text(new_text + ellipsis)
            first_line, index = textbox.pango_layout.get_first_line()

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ""
    x_advance = 0
    emojis = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        # Get Pango objects.
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        glyphs_info = glyph_string.glyphs
        num_glyphs = glyph_string.num_glyphs
        utf8_text = None

        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            # Add font file content and get font size.
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)

            # Workaround for https://gitlab.gnome.org/GNOME/pango/-/issues/530.
            # This is also needed by raster emoji fonts, see #2800.
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style["font_size"]

            # Go through the run glyphs.
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
        string += "<"
        # tounicode: every glyph's text recorded before drawing, clusters needing ActualText.
        utf8_text = utf8_text or textbox.pango_layout.text.encode()
        actual_texts = _cluster_texts(font, glyph_item, utf8_text)
        span_end = None
        for i, glyph_info in enumerate(glyphs_info[0:num_glyphs]):
            # tounicode: close the previous cluster's span, open this cluster's.
            if span_end == i:
                string = _close_glyphs(stream, string)
                stream.end_marked_content()
                span_end = None
            if i in actual_texts:
                span_end, actual_text = actual_texts[i]
                string = _close_glyphs(stream, string)
                stream.begin_marked_content("Span", _span_properties(actual_text))
            glyph_id = glyph_info.glyph
            width = glyph_info.geometry.width

            # Display zero-width empty glyph.
            if glyph_id == pango.PANGO_GLYPH_EMPTY:
                string += f">{-width / font_size}<"
                continue

            # Display .notdef and log warning for missing glyphs.
            if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                LOGGER.warning(
                    '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                    chr(codepoint),
                    codepoint,
                )
                glyph_id = font.get_unused_glyph_id(codepoint)
                font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                if 0 not in font.widths:
                    # "width" is actually Pango’s get_approximate_char_width. Force
                    # .notdef’s to use this width, even if it’s not the right, as we
                    # want to keep Pango’s layout for next glyphs.
                    font.widths[0] = font.widths[glyph_id]

            # tounicode: the mapping between glyphs and text is made by _cluster_texts.

            # Set horizontal and vertical offsets.
            offset = glyph_info.geometry.x_offset / font_size
            rise = glyph_info.geometry.y_offset / 1000
            if rise:
                if string[-1] == "<":
                    string = string[:-1]
                else:
                    string += ">"
                if string:
                    stream.show_text(string)
                stream.set_text_rise(-rise)
                string = ""
                if offset:
                    string = f"{-offset}"
                string += f"<{glyph_id:02x}>" if font.bitmap else f"<{glyph_id:04x}>"
                stream.show_text(string)
                stream.set_text_rise(0)
                string = "<"
            else:
                if offset:
                    string += f">{-offset}<"
                string += f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"

            # Get glyph logical widths.
            if glyph_id in font.widths:
                logical_width = font.widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph_id, stream.ink_rect, stream.logical_rect
                )
                logical_width = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size
                )

            # Set kerning, word spacing, letter spacing.
            kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
            if kerning:
                string += f">{int(kerning)}<"

            # Create list of emojis.
            if font.svg:
                svg_data = get_hb_object_data(font.hb_face, "svg", glyph_id)
                if svg_data:
                    # Do as explained in specification
                    # https://learn.microsoft.com/typography/opentype/spec/svg
                    tree = ElementTree.fromstring(svg_data)
                    if tree.get("id") != f"glyph{glyph_id}":
                        defs = ElementTree.Element("defs")
                        for child in list(tree):
                            defs.append(child)
                            tree.remove(child)
                        tree.append(defs)
                        ElementTree.SubElement(tree, "use", attrib={"href": f"#glyph{glyph_id}"})
                    if "viewBox" not in tree.attrib:
                        tree.attrib["viewBox"] = f"0 0 {font.upem} {font.upem}"
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    emojis.append([image, font, a, d, x_advance, 0])
            elif font.png:
                png_data = get_hb_object_data(font.hb_font, "png", glyph_id)
                if png_data:
                    pillow_image = Image.open(BytesIO(png_data))
                    image_id = f"{font.hash}{glyph_id}"
                    image = RasterImage(pillow_image, image_id, png_data)
                    d = logical_width / 1000
                    a = pillow_image.width / pillow_image.height * d
                    pango.pango_font_get_glyph_extents(
                        pango_font, glyph_id, stream.ink_rect, stream.logical_rect
                    )
                    f = -stream.logical_rect.y
                    f = f * FROM_UNITS / font_size - font_size
                    emojis.append([image, font, a, d, x_advance, f])
            elif font.colr:
                svg_data = get_hb_object_data(font.hb_font, "colr", glyph_id)
                if svg_data:
                    tree = ElementTree.fromstring(svg_data)
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    e = x_advance - kerning
                    emojis.append([image, font, a, d, e, -textbox.baseline])

            x_advance += (logical_width + offset - kerning) / 1000

        # tounicode: close the span of the run's last cluster.
        if span_end is not None:
            string = _close_glyphs(stream, string)
            stream.end_marked_content()

        # Close the last glyphs list, remove if empty.
        if string[-1] == "<":
            string = string[:-1]
        else:
            string += ">"

    # Draw text.
    stream.show_text(string)

    return emojis
