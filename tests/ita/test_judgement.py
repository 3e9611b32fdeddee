"""The one judgement of a score, and every place that asks it agreeing with it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ita.analysis import ItemFigure
from ita.judgement import Lines, Verdict, chosen_verdict, item_weakness, lines_of, pass_line_of
from ita.narratives import ItemLine
from ita.scoring import BandRule
from plans.drafting import ItemOutcome

LINES = Lines(pass_line=D("85"), improve_below=D("95"))


@pytest.mark.parametrize(
    ("score", "weak", "verdict"),
    [
        (None, False, None),
        (D("0"), True, Verdict.IMPROVE),
        (D("84.99"), True, Verdict.IMPROVE),
        (D("84.995"), False, Verdict.IMPROVE),  # the published precision: 85.00
        (D("85"), False, Verdict.IMPROVE),
        (D("94.99"), False, Verdict.IMPROVE),
        (D("94.995"), False, Verdict.MAINTAIN),
        (D("95"), False, Verdict.MAINTAIN),
        (D("100"), False, Verdict.MAINTAIN),
    ],
)
def test_judgement_of_a_score_by_the_two_lines(score, weak, verdict):
    assert LINES.is_weak(score) is weak

    assert LINES.verdict(score) is verdict


@pytest.mark.parametrize(
    ("status", "score", "weakness"),
    [
        ("fail", D("100"), "fail"),  # the recorded result wins over the score
        ("partial", None, "partial"),
        ("pass", D("50"), None),  # a recorded pass is the NACC's word
        ("pass", None, None),
        ("", None, None),
        ("", D("0"), "fail"),
        ("", D("50"), "partial"),
        ("", D("99.99"), "partial"),
        ("", D("100"), None),
    ],
)
def test_judgement_of_an_item_is_the_same_on_the_dashboard_the_report_and_the_plan(
    status, score, weakness
):
    dashboard = ItemFigure(code="o1", indicator=9, title="", score=score, status=status)
    report = ItemLine(code="o1", title="", score=score, status=status)
    plan = ItemOutcome(code="o1", title="", indicator_number=9, score=score, status=status)

    found = item_weakness(status, score)

    assert (None if found is None else str(found)) == weakness
    assert dashboard.needs_work is (weakness is not None)
    assert report.is_weak is (weakness is not None)
    assert plan.weakness == weakness


def test_judgement_pass_line_is_the_lowest_passing_band_of_the_framework():
    bands = [
        BandRule("AA", D("95"), passes=True),
        BandRule("A", D("85"), passes=True),
        BandRule("B", D("75"), passes=False),
    ]

    assert pass_line_of(bands) == D("85")
    assert lines_of(bands, D("90")) == Lines(pass_line=D("85"), improve_below=D("90"))


def test_judgement_pass_line_follows_a_framework_that_moves_it():
    bands = [BandRule("ผ่าน", D("80"), passes=True), BandRule("ไม่ผ่าน", D("0"))]

    assert lines_of(bands).pass_line == D("80")
    assert lines_of([]).pass_line == D("85")  # bands not entered yet


# --- the verdict a document prints: the organisation's choice over the drafted one -----------


def test_chosen_verdict_is_the_saved_choice_when_there_is_one():
    assert chosen_verdict(Verdict.IMPROVE, "maintain") is Verdict.MAINTAIN
    assert chosen_verdict(Verdict.MAINTAIN, "improve") is Verdict.IMPROVE


def test_chosen_verdict_without_a_choice_is_the_drafted_one():
    assert chosen_verdict(Verdict.IMPROVE, "") is Verdict.IMPROVE
    assert chosen_verdict(Verdict.MAINTAIN, "") is Verdict.MAINTAIN


def test_chosen_verdict_without_a_score_is_none_whatever_was_saved():
    assert chosen_verdict(None, "maintain") is None


def test_chosen_verdict_refuses_an_unknown_value():
    with pytest.raises(ValueError):
        chosen_verdict(Verdict.IMPROVE, "excellent")
