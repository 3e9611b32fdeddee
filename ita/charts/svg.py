"""SVG chart primitives: bars, horizontal bars and lines from plain values (pure).

The same SVG goes into the page and into printed documents (WeasyPrint), so a chart needs no
JavaScript and carries its own colours and fonts as presentation attributes. Thai labels are
real <text> in a Thai-capable font (Sarabun, shipped in static/fonts), so the browser or
WeasyPrint shapes them: tone marks and vowels stay on their consonants.

Every chart has a <title> and <desc> for screen readers; pages show the same numbers in a
table beside it. Labels that would not fit are shortened with an ellipsis and keep their full
text in a <title> tooltip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

from ita.thai import format_score, thai_digits

FONT_FAMILY = "Sarabun, 'Noto Sans Thai', 'TH Sarabun New', Loma, 'Garuda', sans-serif"
FONT_SIZE = 15
SMALL_FONT_SIZE = 14
TEXT = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"
THRESHOLD = "#b7410e"
WEAK = "#c2410c"
# Colour-blind-safe series colours (Okabe–Ito based); the newest year comes first.
SERIES_COLOURS = ("#0b5394", "#8e9aaf", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")

# Thai marks that sit above or below a consonant and take no width of their own.
_COMBINING = frozenset(chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])
# Average advance of a Sarabun glyph in ems, for when the font file cannot be read.
_EM_PER_CHAR = 0.56
FONT_DIR = Path(__file__).resolve().parents[2] / "static/fonts/sarabun"
FONT_FILE = FONT_DIR / "Sarabun-Regular.ttf"
BOLD_FONT_FILE = FONT_DIR / "Sarabun-Bold.ttf"
SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | None]
    colour: str = ""


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[int, float], float] | None:
    """Sarabun's advance width per character, in ems (None without the font or fontTools)."""
    try:
        from fontTools.ttLib import TTFont  # WeasyPrint's dependency; only needed here

        font = TTFont(FONT_FILE, lazy=True)
    except (ImportError, OSError):
        return None
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    advances = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
    return advances, metrics[".notdef"][0] / units


def text_width(text: str, font_size: float) -> float:
    """Rendered width of `text` in Sarabun; combining Thai marks stack and add nothing."""
    table = _advances()
    if table is None:
        return sum(1 for ch in text if ch not in _COMBINING) * font_size * _EM_PER_CHAR
    advances, missing = table
    return sum(advances.get(ord(ch), missing) for ch in text) * font_size


def fit_label(text: str, width: float, font_size: float) -> str:
    """`text`, or its longest start that fits with an ellipsis; never splits a Thai cluster."""
    if text_width(text, font_size) <= width:
        return text
    budget = width - text_width("…", font_size)
    kept = ""
    for index, ch in enumerate(text):
        candidate = text[: index + 1]
        if ch in _COMBINING:
            kept = candidate
            continue
        if text_width(candidate, font_size) > budget:
            break
        kept = candidate
    # Do not end on a leading vowel (เ แ โ ใ ไ): it belongs to the consonant that was cut.
    kept = kept.rstrip("เแโใไ").rstrip()
    return f"{kept}…"


def _number(value: Decimal | None, thai: bool) -> str:
    return format_score(value, thai=thai)


def _tick(value: Decimal, thai: bool) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"
    return thai_digits(text) if thai else text


def _colour(series: Series, index: int) -> str:
    return series.colour or SERIES_COLOURS[index % len(SERIES_COLOURS)]


def _fmt(x: float) -> str:
    """Coordinates with at most 1 decimal keep the markup short and stable for tests."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(
    x: float,
    y: float,
    label: str,
    *,
    anchor: str = "start",
    size: int = FONT_SIZE,
    fill: str = TEXT,
    weight: str = "normal",
    full: str | None = None,
) -> str:
    tooltip = f"<title>{escape(full)}</title>" if full and full != label else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}">{tooltip}{escape(label)}</text>'
    )


def _svg(body: list[str], *, width: int, height: int, title: str, desc: str) -> SafeString:
    digest = hashlib.sha1(f"{title}|{desc}|{len(body)}".encode()).hexdigest()[:10]
    chart_id = f"chart-{digest}"
    # Safe: every label and title went through escape() on its way in.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f"font-family={quoteattr(FONT_FAMILY)}>"
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    span = high - low
    step = next(
        (
            s
            for s in (Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(20))
            if span / s <= 6
        ),
        Decimal(25),
    )
    first = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks = []
    value = first
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


@dataclass(frozen=True)
class _KeyItem:
    label: str
    colour: str
    dashed: bool = False

    @property
    def width(self) -> float:
        return 22 + text_width(self.label, SMALL_FONT_SIZE) + 14


def _key_items(
    series: Sequence[Series], threshold: Decimal | None, threshold_label: str, thai: bool
) -> list[_KeyItem]:
    """The legend: the series when there are several, and the threshold line if drawn."""
    items = [_KeyItem(s.label, _colour(s, i)) for i, s in enumerate(series)]
    if len(items) < 2:
        items = []
    if threshold is not None:
        label = f"{threshold_label} {_tick(threshold, thai)}".strip()
        items.append(_KeyItem(label, THRESHOLD, dashed=True))
    return items


def _key_lines(items: Sequence[_KeyItem], width: float) -> list[list[_KeyItem]]:
    lines: list[list[_KeyItem]] = []
    used = width + 1
    for item in items:
        if used + item.width > width:
            lines.append([])
            used = 0.0
        lines[-1].append(item)
        used += item.width
    return lines


def legend_height(items: Sequence[_KeyItem], width: float) -> int:
    return len(_key_lines(items, width)) * 20 + (6 if items else 0)


def _legend(items: Sequence[_KeyItem], x: float, y: float, width: float) -> list[str]:
    """The legend above the plot, wrapping onto more lines when needed."""
    parts: list[str] = []
    for number, line in enumerate(_key_lines(items, width)):
        cursor, top = x, y + number * 20
        for item in line:
            if item.dashed:
                parts.append(
                    f'<line x1="{_fmt(cursor)}" y1="{_fmt(top - 4)}" x2="{_fmt(cursor + 18)}" '
                    f'y2="{_fmt(top - 4)}" stroke="{item.colour}" stroke-width="2" '
                    f'stroke-dasharray="5 3"/>'
                )
            else:
                parts.append(
                    f'<rect x="{_fmt(cursor + 3)}" y="{_fmt(top - 10)}" width="12" height="12" '
                    f'rx="2" fill="{item.colour}"/>'
                )
            parts.append(
                _text(cursor + 22, top, item.label, size=SMALL_FONT_SIZE,
                      fill=THRESHOLD if item.dashed else MUTED)
            )  # fmt: skip
            cursor += item.width
    return parts


def _y_axis(
    ticks: Sequence[Decimal], y_of: object, left: float, right: float, thai: bool
) -> list[str]:
    parts = []
    for tick in ticks:
        y = y_of(tick)  # type: ignore[operator]
        parts.append(
            f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(right)}" y2="{_fmt(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            _text(
                left - 6, y + 4, _tick(tick, thai), anchor="end", size=SMALL_FONT_SIZE, fill=MUTED
            )
        )
    return parts


def _threshold(
    value: Decimal | None, label: str, y_of: object, left: float, right: float, thai: bool
) -> list[str]:
    """The dashed threshold line (its label is in the legend)."""
    if value is None:
        return []
    y = y_of(value)  # type: ignore[operator]
    text = f"{label} {_tick(value, thai)}".strip()
    return [
        f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(right)}" y2="{_fmt(y)}" '
        f'stroke="{THRESHOLD}" stroke-width="1.5" stroke-dasharray="6 4">'
        f"<title>{escape(text)}</title></line>"
    ]


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    y_min: Decimal = Decimal(0),
    y_max: Decimal = Decimal(100),
    threshold: Decimal | None = None,
    threshold_label: str = "",
    thai: bool = False,
    width: int = 480,
    height: int = 280,
) -> SafeString:
    """Vertical bars, grouped by category when there are several series (e.g. years)."""
    left, right = 40.0, float(width - 8)
    key = _key_items(series, threshold, threshold_label, thai)
    top = 18.0 + legend_height(key, right - left)
    bottom = float(height - 30)
    span = y_max - y_min

    def y_of(value: Decimal) -> float:
        clamped = min(max(value, y_min), y_max)
        return bottom - float((clamped - y_min) / span) * (bottom - top)

    body = _legend(key, left, 16, right - left)
    body += _y_axis(_ticks(y_min, y_max), y_of, left, right, thai)
    # Under the bars, so that value labels stay readable where the line crosses them.
    body += _threshold(threshold, threshold_label, y_of, left, right, thai)
    group = (right - left) / max(len(categories), 1)
    bar = min(56.0, group * 0.8 / max(len(series), 1))
    show_values = bar >= 30 or (len(series) == 1 and bar >= 22)
    for c_index, category in enumerate(categories):
        start = left + c_index * group + (group - bar * len(series)) / 2
        for s_index, s in enumerate(series):
            value = s.values[c_index] if c_index < len(s.values) else None
            if value is None:
                continue
            x = start + s_index * bar
            y = y_of(value)
            label = f"{s.label} {category}: {_number(value, thai)}".strip()
            body.append(
                f'<rect x="{_fmt(x + 1)}" y="{_fmt(y)}" width="{_fmt(bar - 2)}" '
                f'height="{_fmt(bottom - y)}" fill="{_colour(s, s_index)}">'
                f"<title>{escape(label)}</title></rect>"
            )
            if show_values:
                body.append(
                    _text(x + bar / 2, y - 5, _number(value, thai), anchor="middle",
                          size=SMALL_FONT_SIZE)
                )  # fmt: skip
        body.append(
            _text(
                left + c_index * group + group / 2,
                bottom + 20,
                fit_label(category, group - 4, FONT_SIZE),
                anchor="middle",
                full=category,
            )
        )
    body.append(
        f'<line x1="{_fmt(left)}" y1="{_fmt(bottom)}" x2="{_fmt(right)}" y2="{_fmt(bottom)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    return _svg(body, width=width, height=height, title=title, desc=desc)


def horizontal_bar_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    *,
    title: str,
    desc: str = "",
    highlight: Sequence[bool] = (),
    x_max: Decimal = Decimal(100),
    threshold: Decimal | None = None,
    threshold_label: str = "",
    thai: bool = False,
    width: int = 480,
    label_width: int = 210,
) -> SafeString:
    """One bar per row with its label on the left; highlighted rows are drawn in orange."""
    row = 30.0
    top, value_room = 8.0, 52.0
    left = float(label_width)
    right = float(width) - value_room
    bottom = top + row * len(labels)
    key = _key_items((), threshold, threshold_label, thai)
    height = int(bottom + 28 + legend_height(key, right - left))

    def x_of(value: Decimal) -> float:
        return left + float(min(max(value, Decimal(0)), x_max) / x_max) * (right - left)

    body: list[str] = []
    for tick in _ticks(Decimal(0), x_max):
        x = x_of(tick)
        body.append(
            f'<line x1="{_fmt(x)}" y1="{_fmt(top)}" x2="{_fmt(x)}" y2="{_fmt(bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(x, bottom + 18, _tick(tick, thai), anchor="middle", size=SMALL_FONT_SIZE,
                  fill=MUTED)
        )  # fmt: skip
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        weak = index < len(highlight) and highlight[index]
        body.append(
            _text(
                left - 8,
                y + row / 2 + 5,
                fit_label(label, left - 12, FONT_SIZE),
                anchor="end",
                full=label,
                fill=WEAK if weak else TEXT,
                weight="bold" if weak else "normal",
            )
        )
        if value is None:
            continue
        x = x_of(value)
        body.append(
            f'<rect x="{_fmt(left)}" y="{_fmt(y + 5)}" width="{_fmt(x - left)}" '
            f'height="{_fmt(row - 10)}" rx="2" fill="{WEAK if weak else SERIES_COLOURS[0]}">'
            f"<title>{escape(label)}: {escape(_number(value, thai))}</title></rect>"
        )
        body.append(_text(x + 5, y + row / 2 + 5, _number(value, thai), size=SMALL_FONT_SIZE))
    if threshold is not None:
        x = x_of(threshold)
        body.append(
            f'<line x1="{_fmt(x)}" y1="{_fmt(top)}" x2="{_fmt(x)}" y2="{_fmt(bottom)}" '
            f'stroke="{THRESHOLD}" stroke-width="1.5" stroke-dasharray="6 4">'
            f"<title>{escape(threshold_label)} {escape(_tick(threshold, thai))}</title></line>"
        )
    body += _legend(key, left, bottom + 42, right - left)
    return _svg(body, width=width, height=height, title=title, desc=desc)


def line_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    y_min: Decimal | None = None,
    y_max: Decimal = Decimal(100),
    threshold: Decimal | None = None,
    threshold_label: str = "",
    thai: bool = False,
    width: int = 480,
    height: int = 260,
) -> SafeString:
    """Points joined by lines over the categories (years); a gap where a value is missing.

    Without `y_min` the axis starts a little under the lowest value (rounded down to 10), so a
    history of scores between 85 and 95 does not look flat.
    """
    values = [v for s in series for v in s.values if v is not None]
    if y_min is None:
        lowest = min([*values, threshold] if threshold is not None else values, default=Decimal(0))
        y_min = max(Decimal(0), (lowest - 5) // 10 * 10)
    if y_max <= y_min:
        y_max = y_min + 10
    left, right = 40.0, float(width - 16)
    key = _key_items(series, threshold, threshold_label, thai)
    top = 24.0 + legend_height(key, right - left)
    bottom = float(height - 30)
    span = y_max - y_min

    def y_of(value: Decimal) -> float:
        clamped = min(max(value, y_min), y_max)
        return bottom - float((clamped - y_min) / span) * (bottom - top)

    step = (right - left) / max(len(categories), 1)

    def x_of(index: int) -> float:
        return left + step * index + step / 2

    body = _legend(key, left, 16, right - left)
    body += _y_axis(_ticks(y_min, y_max), y_of, left, right, thai)
    body += _threshold(threshold, threshold_label, y_of, left, right, thai)
    for index, category in enumerate(categories):
        body.append(
            _text(x_of(index), bottom + 20, fit_label(category, step - 2, FONT_SIZE),
                  anchor="middle", full=category)
        )  # fmt: skip
    for s_index, s in enumerate(series):
        colour = _colour(s, s_index)
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, value in enumerate(s.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_fmt(x_of(index))},{_fmt(y_of(value))}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"/>'
                )
        for index, value in enumerate(s.values):
            if value is None:
                continue
            x, y = x_of(index), y_of(value)
            label = f"{s.label} {categories[index]}: {_number(value, thai)}".strip()
            body.append(
                f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4.5" fill="{colour}">'
                f"<title>{escape(label)}</title></circle>"
            )
            if len(series) == 1:
                body.append(
                    _text(x, y - 10, _number(value, thai), anchor="middle", size=SMALL_FONT_SIZE)
                )
    body.append(
        f'<line x1="{_fmt(left)}" y1="{_fmt(bottom)}" x2="{_fmt(right)}" y2="{_fmt(bottom)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    return _svg(body, width=width, height=height, title=title, desc=desc)
