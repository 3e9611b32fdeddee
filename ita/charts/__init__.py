"""Charts as SVG markup, built on the server (pure: plain values in, markup out).

`svg` holds the drawing primitives, `figures` the charts of the pages and documents, and
`printing` turns a chart's text into shaped glyphs for WeasyPrint.
"""

from ita.charts.figures import (
    comparison_chart,
    history_chart,
    indicator_chart,
    indicator_history_chart,
    peer_chart,
    tool_chart,
)
from ita.charts.printing import for_print
from ita.charts.svg import (
    FONT_SIZE,
    SERIES_COLOURS,
    WEAK,
    Series,
    bar_chart,
    fit_label,
    horizontal_bar_chart,
    line_chart,
    text_width,
)

__all__ = [
    "FONT_SIZE",
    "SERIES_COLOURS",
    "WEAK",
    "Series",
    "bar_chart",
    "comparison_chart",
    "fit_label",
    "for_print",
    "history_chart",
    "horizontal_bar_chart",
    "indicator_chart",
    "indicator_history_chart",
    "line_chart",
    "peer_chart",
    "text_width",
    "tool_chart",
]
