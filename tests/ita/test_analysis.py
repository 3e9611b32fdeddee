"""The analysis rules on plain values (no database)."""

from __future__ import annotations

from decimal import Decimal

from ita import analysis
from ita.analysis import (
    ChannelName,
    ChannelValue,
    Concern,
    Direction,
    IndicatorFigure,
    ItemFigure,
    NoteKind,
    QuestionFigure,
    ToolFigure,
    YearFigures,
)
from ita.scoring import INDICATOR_TOLERANCE, Check

D = Decimal
KHP_2568 = [
    "98.07",
    "99.12",
    "99.12",
    "94.38",
    "97.02",
    "93.92",
    "90.55",
    "90.31",
    "98.25",
    "90.00",
]
TOOLS = {1: "IIT", 2: "IIT", 3: "IIT", 4: "IIT", 5: "IIT", 6: "EIT", 7: "EIT", 8: "EIT"}


def year(
    fiscal_year: int,
    scores: list[str],
    *,
    family: str = "ita-10",
    overall: str | None = None,
    names: dict[int, str] | None = None,
    questions: tuple[QuestionFigure, ...] = (),
    items: tuple[ItemFigure, ...] = (),
    computed: dict[int, str] | None = None,
) -> YearFigures:
    names = names or {}
    computed = computed or {}
    return YearFigures(
        fiscal_year=fiscal_year,
        framework_id=fiscal_year,
        framework_name=f"ITA {fiscal_year}",
        family=family,
        overall=Check(D(overall) if overall else None, None, D("0.02")),
        published_level="",
        computed_level=None,
        level_mismatch=False,
        tools=(ToolFigure("IIT", "IIT", "IIT", D(30), Check(D("97.54"), None, D("0.02"))),),
        indicators=tuple(
            IndicatorFigure(
                number=n,
                name=names.get(n, f"indicator {n}"),
                name_en="",
                tool=TOOLS.get(n, "OIT"),
                check=Check(
                    D(s),
                    D(computed[n]) if n in computed else None,
                    INDICATOR_TOLERANCE,
                ),
            )
            for n, s in enumerate(scores, start=1)
        ),
        questions=questions,
        items=items,
        channels=(ChannelName("public", "EitPublic"), ChannelName("survey", "EitSurvey")),
    )


def question(code: str, indicator: int, *scores: str) -> QuestionFigure:
    channels = ("public", "survey") if len(scores) == 2 else ("",)
    return QuestionFigure(
        code=code,
        indicator=indicator,
        theme="",
        text="",
        scores=tuple(ChannelValue(c, D(s)) for c, s in zip(channels, scores, strict=True)),
    )


def test_delta_difference_and_direction():
    up = analysis.delta(D("94.39"), D("94.10"), 2567)
    down = analysis.delta(D("90.00"), D("92.50"), 2567)
    same = analysis.delta(D("90.00"), D("90.00"), 2567)

    assert (up.difference, up.direction) == (D("0.29"), Direction.UP)
    assert (down.difference, down.direction) == (D("-2.50"), Direction.DOWN)
    assert same.direction is Direction.SAME
    assert analysis.delta(None, D(1), 2567) is None


def test_signed_prints_plus_for_gains_only():
    assert analysis.signed(D("1.5")) == "+1.50"
    assert analysis.signed(D("-0.385")) == "-0.39"
    assert analysis.signed(D("0")) == "0.00"
    assert analysis.signed(None) == ""


def test_previous_comparable_skips_missing_years_and_other_families():
    years = [
        year(2563, KHP_2568, family="old-5"),
        year(2565, KHP_2568),
        year(2568, KHP_2568),
    ]

    assert analysis.previous_comparable(years, 2568).fiscal_year == 2565
    assert analysis.previous_comparable(years, 2565) is None


def test_indicator_changes_give_deltas_and_concerns():
    current = year(2568, KHP_2568)
    previous = year(
        2567,
        ["97.00", "99.50", "98.00", "95.00", "96.00", "94.50", "89.00", "91.00", "97.25", "92.50"],
    )

    changes = analysis.indicator_changes(current, previous)

    assert [str(c.change.difference) for c in changes] == [
        "1.07", "-0.38", "1.12", "-0.62", "1.02", "-0.58", "1.55", "-0.69", "1.00", "-2.50",
    ]  # fmt: skip
    assert [c.number for c in changes if Concern.FALLING in c.concerns] == [2, 4, 6, 8, 10]
    assert not any(Concern.BELOW in c.concerns for c in changes)


def test_weakest_indicators_are_the_flagged_ones_lowest_first():
    current = year(2568, ["84.00", "99.00", "90.00", *KHP_2568[3:]])
    previous = year(2567, ["80.00", "99.00", "95.00", *KHP_2568[3:]])

    weakest = analysis.weakest_indicators(analysis.indicator_changes(current, previous))

    assert [(c.number, c.concerns) for c in weakest] == [
        (1, (Concern.BELOW,)),
        (3, (Concern.FALLING,)),
    ]


def test_weakest_indicators_fall_back_to_the_three_lowest():
    changes = analysis.indicator_changes(year(2568, KHP_2568), None)

    weakest = analysis.weakest_indicators(changes)

    assert [(c.number, str(c.value)) for c in weakest] == [
        (10, "90.00"),
        (8, "90.31"),
        (7, "90.55"),
    ]
    assert all(c.concerns == (Concern.LOWEST,) for c in weakest)


def test_weakest_questions_use_the_channel_mean():
    figures = year(
        2568,
        KHP_2568,
        questions=(
            question("i10", 4, "88.42"),
            question("e7", 8, "86.34", "92.00"),
            question("e8", 8, "91.12", "91.00"),
            question("i1", 1, "96.32"),
        ),
    )

    weak = analysis.weakest_questions(figures, lowest=2)

    assert [(w.question.code, str(w.question.value), w.below) for w in weak] == [
        ("i10", "88.42", False),
        ("e7", "89.17", False),
    ]


def test_weakest_questions_list_every_question_below_the_line():
    figures = year(
        2568, KHP_2568, questions=(question("i1", 1, "70.00"), question("i2", 1, "80.00"))
    )

    weak = analysis.weakest_questions(figures, lowest=1)

    assert [(w.question.code, w.below) for w in weak] == [("i1", True), ("i2", True)]


def test_items_needing_work_are_partial_failed_or_below_full_marks():
    items = (
        ItemFigure("o1", 9, "structure", D(100), "pass"),
        ItemFigure("o16", 9, "ethics", D(50), "partial"),
        ItemFigure("o24", 10, "risk report", D(0), "fail"),
        ItemFigure("o3", 9, "contacts", None, "fail"),
    )

    needing = analysis.items_needing_work(year(2568, KHP_2568, items=items))

    assert [i.code for i in needing] == ["o3", "o24", "o16"]


def test_dashboard_of_the_latest_year_with_overall_change():
    years = [
        year(2567, KHP_2568, overall="94.10"),
        year(2568, KHP_2568, overall="94.39"),
    ]

    board = analysis.dashboard(years)

    assert board.year.fiscal_year == 2568
    assert board.previous.fiscal_year == 2567
    assert str(board.overall_change.difference) == "0.29"
    assert analysis.dashboard(years, 2560) is None
    assert analysis.dashboard([]) is None


def test_comparison_rows_join_by_number_within_a_family_only():
    years = [
        year(2561, ["70.00", "71.00"], family="old-5"),
        year(2567, KHP_2568[:2]),
        year(2568, KHP_2568[:2]),
    ]

    rows = analysis.comparison_rows(years)

    assert [(r.family, r.number) for r in rows] == [
        ("ita-10", 1), ("ita-10", 2), ("old-5", 1), ("old-5", 2),
    ]  # fmt: skip
    first = rows[0]
    assert first.cells[0] is None  # 2561 is another family: not joined with indicator 1
    assert str(first.cell(2568).value) == "98.07"
    assert rows[2].cell(2561).value == D("70.00")
    assert rows[2].cell(2568) is None


def test_comparison_cells_change_against_the_previous_selected_year():
    years = [
        year(2566, ["90.00"]),
        year(2567, ["92.50"]),
        year(2568, ["91.00"]),
    ]

    (row,) = analysis.comparison_rows(years)

    assert [c.change and str(c.change.difference) for c in row.cells] == [None, "2.50", "-1.50"]
    assert str(row.overall_change.difference) == "1.00"


def test_comparison_notes_warn_about_families_frameworks_and_renamed_indicators():
    years = [
        year(2561, ["70.00"], family="old-5"),
        year(2567, KHP_2568, names={8: "การปรับปรุงระบบการทำงาน"}),
        year(2568, KHP_2568, names={8: "การปรับปรุงการทำงาน"}),
    ]

    notes = analysis.comparison_notes(years)

    kinds = [n.kind for n in notes]
    assert kinds == [NoteKind.FAMILIES, NoteKind.FRAMEWORKS, NoteKind.RENAMED]
    assert notes[0].groups == (("old-5", (2561,)), ("ita-10", (2567, 2568)))
    assert notes[2].number == 8
    assert notes[2].groups == (
        ("การปรับปรุงระบบการทำงาน", (2567,)),
        ("การปรับปรุงการทำงาน", (2568,)),
    )


def test_comparison_notes_are_empty_for_a_single_year():
    assert analysis.comparison_notes([year(2568, KHP_2568)]) == []


def test_question_comparison_only_within_one_framework():
    one = year(2568, KHP_2568, questions=(question("i1", 1, "96.32"),))
    other = year(2567, KHP_2568, questions=(question("i1", 1, "50.00"),))

    assert analysis.question_comparison([other, one]) is None
    rows = analysis.question_comparison([one])
    assert [(r.code, r.values) for r in rows] == [("i1", (D("96.32"),))]


def test_overall_cells_change_only_within_a_family():
    years = [
        year(2561, [], family="old-5", overall="70.00"),
        year(2567, [], overall="94.10"),
        year(2568, [], overall="94.39"),
    ]

    cells = analysis.overall_cells(years)

    assert [c.change and str(c.change.difference) for c in cells] == [None, None, "0.29"]


def test_indicator_history_newest_first_with_changes_and_computed_check():
    years = [
        year(2561, ["70.00"] * 10, family="old-5"),
        year(2567, ["97.00"] * 7 + ["91.00", "97.00", "92.50"]),
        year(
            2568,
            KHP_2568,
            questions=(question("e7", 8, "86.34", "92.00"), question("i1", 1, "96.32")),
            computed={8: "90.2917"},
        ),
    ]

    history = analysis.indicator_history(years, 8)

    assert [e.year.fiscal_year for e in history.years] == [2568, 2567]
    latest = history.latest
    assert str(latest.change.difference) == "-0.69"
    assert latest.figure.check.computed_rounded == D("90.29")
    assert latest.figure.check.mismatch  # 90.29 against the published 90.31
    assert [q.code for q in latest.questions] == ["e7"]
    assert [c.code for c in latest.channels] == ["public", "survey"]
    assert history.other_family_years == [2561]
    assert analysis.indicator_history(years, 42) is None


def test_indicator_numbers_come_from_the_latest_family():
    years = [year(2561, ["70.00"] * 5, family="old-5"), year(2568, KHP_2568)]

    assert analysis.indicator_numbers(years) == list(range(1, 11))
