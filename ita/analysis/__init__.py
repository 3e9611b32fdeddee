"""What the analysis pages say about an organisation's years (pure: plain values, no ORM).

``ita.queries.organisation_years`` turns prefetched assessments into ``YearFigures``; the
functions here compare them: changes against the previous comparable year, the weakest
indicators, questions and open-data items, the year-over-year comparison rows and the notes
that warn when years do not compare.

Rules that come from the ITA method (see shared/reference/ita-method.md):
- indicator numbers keep their meaning within a framework *family*, so years are compared by
  indicator number only inside one family; other families get rows of their own;
- questions and items are numbered afresh each year, so they are compared only within one
  framework, never joined across years by code.
"""

from __future__ import annotations

from ita.analysis.comparison import (
    ComparisonCell,
    ComparisonNote,
    ComparisonRow,
    NoteKind,
    OverallCell,
    QuestionRow,
    comparable_questions,
    comparison_notes,
    comparison_rows,
    overall_cells,
    question_comparison,
)
from ita.analysis.dashboard import (
    LOWEST_COUNT,
    LOWEST_QUESTION_COUNT,
    Concern,
    Dashboard,
    IndicatorChange,
    WeakQuestion,
    dashboard,
    indicator_changes,
    items_needing_work,
    weakest_indicators,
    weakest_questions,
)
from ita.analysis.figures import (
    ChannelName,
    ChannelValue,
    Delta,
    Direction,
    IndicatorFigure,
    ItemFigure,
    QuestionFigure,
    ToolFigure,
    YearFigures,
    delta,
    previous_comparable,
    signed,
)
from ita.analysis.history import (
    IndicatorHistory,
    IndicatorYear,
    indicator_history,
    indicator_numbers,
)

__all__ = [
    "LOWEST_COUNT",
    "LOWEST_QUESTION_COUNT",
    "ChannelName",
    "ChannelValue",
    "ComparisonCell",
    "ComparisonNote",
    "ComparisonRow",
    "Concern",
    "Dashboard",
    "Delta",
    "Direction",
    "IndicatorChange",
    "IndicatorFigure",
    "IndicatorHistory",
    "IndicatorYear",
    "ItemFigure",
    "NoteKind",
    "OverallCell",
    "QuestionFigure",
    "QuestionRow",
    "ToolFigure",
    "WeakQuestion",
    "YearFigures",
    "comparable_questions",
    "comparison_notes",
    "comparison_rows",
    "dashboard",
    "delta",
    "indicator_changes",
    "indicator_history",
    "indicator_numbers",
    "items_needing_work",
    "overall_cells",
    "previous_comparable",
    "question_comparison",
    "signed",
    "weakest_indicators",
    "weakest_questions",
]
