"""The charts of the analysis pages and documents, drawn with `ita.charts.svg`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ita.analysis import Dashboard, IndicatorChange, IndicatorHistory, YearFigures
from ita.charts.svg import (
    SERIES_COLOURS,
    Series,
    bar_chart,
    horizontal_bar_chart,
    line_chart,
)
from ita.judgement import DEFAULT_PASS_LINE
from ita.thai import format_score


def _pass_line(ordered: Sequence[YearFigures]) -> Decimal:
    """The newest year's pass line: the line a reader judges the latest score against."""
    return ordered[-1].lines.pass_line if ordered else DEFAULT_PASS_LINE


def _name(thai_name: str, english_name: str, english: bool) -> str:
    return english_name if english and english_name else thai_name


def history_chart(years: Sequence[YearFigures], *, english: bool = False) -> SafeString:
    """Overall score per fiscal year (ผลการประเมินในภาพรวมย้อนหลัง), with the pass line."""
    ordered = sorted(years, key=lambda y: y.fiscal_year)
    values = [y.overall.value for y in ordered]
    summary = ", ".join(
        f"{y.fiscal_year}: {format_score(y.overall.value)} {y.level}".strip() for y in ordered
    )
    return line_chart(
        [str(y.fiscal_year) for y in ordered],
        [Series(gettext("Overall score"), values)],
        title=gettext("Overall score by fiscal year"),
        desc=summary,
        threshold=_pass_line(ordered),
        threshold_label=gettext("pass line"),
        width=440,
        height=250,
    )


def tool_chart(board: Dashboard, *, english: bool = False) -> SafeString:
    """Score per tool (ผลการประเมินรายเครื่องมือ), beside the previous comparable year."""
    tools = board.year.tools
    series = [Series(str(board.year.fiscal_year), [t.value for t in tools])]
    if board.previous is not None:
        before = {t.code: t.value for t in board.previous.tools}
        series.append(Series(str(board.previous.fiscal_year), [before.get(t.code) for t in tools]))
        series.reverse()  # older year on the left of each pair
        series = [
            Series(s.label, s.values, colour=SERIES_COLOURS[0 if i == 1 else 1])
            for i, s in enumerate(series)
        ]
    return bar_chart(
        [t.code for t in tools],
        series,
        title=gettext("Score per tool, %(year)s") % {"year": board.year.fiscal_year},
        desc=", ".join(
            f"{t.code} {_name(t.name, t.name_en, english)}: {format_score(t.value)}" for t in tools
        ),
        threshold=board.year.lines.pass_line,
        threshold_label=gettext("pass line"),
    )


def indicator_chart(
    changes: Sequence[IndicatorChange],
    *,
    fiscal_year: int,
    pass_line: Decimal = DEFAULT_PASS_LINE,
    english: bool = False,
) -> SafeString:
    """The indicators of one year as horizontal bars; weak ones in orange."""
    labels = [f"{c.number}. {_name(c.figure.name, c.figure.name_en, english)}" for c in changes]
    return horizontal_bar_chart(
        labels,
        [c.value for c in changes],
        highlight=[c.weak for c in changes],
        title=gettext("Score per indicator, %(year)s") % {"year": fiscal_year},
        desc=", ".join(
            f"{label}: {format_score(c.value)}" for label, c in zip(labels, changes, strict=True)
        ),
        threshold=pass_line,
        threshold_label=gettext("pass line"),
        width=420,
        label_width=210,
    )


def comparison_chart(years: Sequence[YearFigures], numbers: Sequence[int]) -> SafeString:
    """Indicator scores grouped by indicator number, one bar per selected year."""
    ordered = sorted(years, key=lambda y: y.fiscal_year)
    series = []
    for index, year in enumerate(ordered):
        values = []
        for number in numbers:
            figure = year.indicator(number)
            values.append(figure.value if figure else None)
        colour = SERIES_COLOURS[(len(ordered) - 1 - index) % len(SERIES_COLOURS)]
        series.append(Series(str(year.fiscal_year), values, colour=colour))
    return bar_chart(
        [str(n) for n in numbers],
        series,
        title=gettext("Indicator scores by fiscal year"),
        desc="; ".join(
            f"{s.label}: "
            + ", ".join(
                f"{n} {format_score(v)}"
                for n, v in zip(numbers, s.values, strict=True)
                if v is not None
            )
            for s in series
        ),
        threshold=_pass_line(ordered),
        threshold_label=gettext("pass line"),
        width=520,
        height=300,
    )


def indicator_history_chart(history: IndicatorHistory) -> SafeString:
    """One indicator's score per fiscal year."""
    entries = list(reversed(history.years))
    return line_chart(
        [str(e.year.fiscal_year) for e in entries],
        [Series(str(history.number), [e.figure.value for e in entries])],
        title=gettext("Indicator %(number)s by fiscal year") % {"number": history.number},
        desc=", ".join(f"{e.year.fiscal_year}: {format_score(e.figure.value)}" for e in entries),
        threshold=history.latest.year.lines.pass_line,
        threshold_label=gettext("pass line"),
    )


def peer_chart(
    numbers: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]]
) -> SafeString:
    """Indicator scores of the organisation beside its peer groups' means, by indicator."""
    drawn = [
        Series(label, list(values), colour=SERIES_COLOURS[index % len(SERIES_COLOURS)])
        for index, (label, values) in enumerate(series)
    ]
    return bar_chart(
        list(numbers),
        drawn,
        title=gettext("Indicator scores beside the peer groups' means"),
        desc="; ".join(
            f"{s.label}: "
            + ", ".join(
                f"{n} {format_score(v)}"
                for n, v in zip(numbers, s.values, strict=True)
                if v is not None
            )
            for s in drawn
        ),
        width=560,
        height=300,
    )
