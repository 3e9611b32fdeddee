from __future__ import annotations

from decimal import Decimal

import pytest

from ita.scoring import (
    CHANNEL_MEAN,
    PUBLISHED_ONLY,
    QUESTION_MEAN,
    SUBINDICATOR_MEAN,
    AssessmentInput,
    BandRule,
    ChannelScore,
    Check,
    IndicatorInput,
    ItemScore,
    ToolInput,
    compute_indicator,
    evaluate,
    rate,
    round_score,
    weighted_overall,
)

D = Decimal
LETTERS = [
    BandRule("AA", D(95), passes=True),
    BandRule("A", D(85), passes=True),
    BandRule("B", D(75)),
    BandRule("C", D(65)),
    BandRule("D", D(55)),
    BandRule("E", D(50)),
    BandRule("F", D(0)),
]
FIVE_LEVELS = [
    BandRule("ผ่านดีเยี่ยม", D(95), D(95), True),
    BandRule("ผ่านดี", D(85), D(85), True),
    BandRule("ผ่าน", D(85), None, True),
    BandRule("ต้องปรับปรุง", D(70)),
    BandRule("ต้องปรับปรุงโดยด่วน", D(0)),
]
TOOLS_2568 = [
    ToolInput("IIT", D(30), QUESTION_MEAN),
    ToolInput("EIT", D(30), CHANNEL_MEAN),
    ToolInput("OIT", D(40), PUBLISHED_ONLY),
]


def q(code: str, score: str, channel: str | None = None) -> ChannelScore:
    return ChannelScore(code, channel, D(score))


def khlong_hin_pun_2568() -> AssessmentInput:
    iit = {
        1: ["96.32", "97.89", "100"],
        2: ["97.37", "100", "100"],
        3: ["97.37", "100", "100"],
        4: ["88.42", "99.47", "95.26"],
        5: ["97.89", "96.32", "96.84"],
    }
    eit = {
        6: [("89.76", "92"), ("89.76", "92"), ("100", "100")],
        7: [("88.78", "92"), ("90.73", "91"), ("88.78", "92")],
        8: [("86.34", "92"), ("91.12", "91"), ("88.29", "93")],
    }
    published = {
        1: "98.07", 2: "99.12", 3: "99.12", 4: "94.38", 5: "97.02",
        6: "93.92", 7: "90.55", 8: "90.31", 9: "98.25", 10: "90.00",
    }  # fmt: skip
    indicators = []
    for n, scores in iit.items():
        questions = [q(f"i{n}{k}", s) for k, s in enumerate(scores)]
        indicators.append(IndicatorInput(n, "IIT", D(published[n]), questions))
    for n, pairs in eit.items():
        questions = [q(f"e{n}{k}", p, "public") for k, (p, _s) in enumerate(pairs)]
        questions += [q(f"e{n}{k}", s, "survey") for k, (_p, s) in enumerate(pairs)]
        indicators.append(IndicatorInput(n, "EIT", D(published[n]), questions))
    for n in (9, 10):
        indicators.append(IndicatorInput(n, "OIT", D(published[n])))
    return AssessmentInput(
        tools=TOOLS_2568,
        indicators=indicators,
        bands=FIVE_LEVELS,
        published_overall=D("94.39"),
        published_level="ผ่านดี",
    )


def test_round_score_rounds_half_up_like_the_published_figures():
    assert round_score(D("94.125")) == D("94.13")
    assert round_score(D("90.2917")) == D("90.29")


def test_reference_2568_overall_and_level_reproduce_the_published_result():
    scores = evaluate(khlong_hin_pun_2568())

    assert scores.overall.computed_rounded == D("94.39")
    assert not scores.overall.mismatch
    assert scores.computed_level == "ผ่านดี"
    assert not scores.level_mismatch
    assert scores.passes is True


def test_reference_2568_iit_and_eit_indicators_1_to_7_match_the_published_values():
    scores = evaluate(khlong_hin_pun_2568())

    for number in range(1, 8):
        check = scores.indicator(number).check
        assert not check.mismatch, (number, check.computed_rounded, check.published)


def test_reference_2568_indicator_8_is_flagged_by_its_0_02_difference():
    scores = evaluate(khlong_hin_pun_2568())

    check = scores.indicator(8).check
    assert check.computed_rounded == D("90.29")
    assert check.difference == D("-0.02")
    assert check.mismatch
    assert scores.mismatches == ["indicator 8"]


def test_reference_2568_oit_indicators_have_no_computed_value_when_the_rule_is_unknown():
    scores = evaluate(khlong_hin_pun_2568())

    assert scores.indicator(9).check.computed is None
    assert scores.indicator(9).check.value == D("98.25")


def test_tool_scores_are_means_of_their_indicators():
    scores = evaluate(khlong_hin_pun_2568())

    assert scores.tool("IIT").check.computed_rounded == D("97.54")
    assert scores.tool("EIT").check.computed_rounded == D("91.59")
    assert scores.tool("OIT").check.computed_rounded == D("94.13")


def test_channel_mean_is_the_mean_of_each_channel_mean_not_of_all_answers():
    scores = [q("e1", "80", "public"), q("e2", "90", "public"), q("e1", "100", "survey")]

    assert compute_indicator(CHANNEL_MEAN, scores) == D("92.5")


def test_single_channel_eit_before_2566_is_a_plain_question_mean():
    scores = [q("e1", "80"), q("e2", "90"), q("e3", "100")]

    assert compute_indicator(QUESTION_MEAN, scores) == D("90")


def test_oit_before_2567_is_the_mean_of_sub_indicator_means():
    items = [
        ItemScore("o1", "9.1", D(100)),
        ItemScore("o2", "9.1", D(0)),
        ItemScore("o3", "9.2", D(100)),
    ]

    assert compute_indicator(SUBINDICATOR_MEAN, items=items) == D("75")


def test_published_only_rule_computes_nothing():
    assert compute_indicator(PUBLISHED_ONLY, [q("o1", "100")]) is None


def test_weighted_overall_uses_the_years_weights():
    overall = weighted_overall(
        {"IIT": D(90), "EIT": D(80), "OIT": D(70)},
        {"IIT": D(30), "EIT": D(30), "OIT": D(40)},
    )

    assert overall == D("79")


def test_weighted_overall_is_unknown_when_a_tool_is_missing():
    assert weighted_overall({"IIT": D(90)}, {"IIT": D(30), "EIT": D(30)}) is None


@pytest.mark.parametrize(
    ("overall", "label"),
    [
        ("95", "AA"), ("94.99", "A"), ("85", "A"), ("84.99", "B"), ("75", "B"),
        ("65", "C"), ("55", "D"), ("54.99", "E"), ("50", "E"), ("49.99", "F"), ("0", "F"),
    ],
)  # fmt: skip
def test_letter_bands_2562_2565(overall, label):
    assert rate(D(overall), {}, LETTERS).label == label


@pytest.mark.parametrize(
    ("overall", "tools", "label"),
    [
        ("96", ("95", "96", "97"), "ผ่านดีเยี่ยม"),
        ("96", ("94.99", "96", "97"), "ผ่านดี"),
        ("90", ("85", "86", "99"), "ผ่านดี"),
        ("88", ("84.99", "90", "90"), "ผ่าน"),
        ("84.99", ("90", "90", "90"), "ต้องปรับปรุง"),
        ("70", ("60", "70", "80"), "ต้องปรับปรุง"),
        ("69.99", ("60", "70", "80"), "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_five_levels_2567_2568_need_every_tool_for_the_top_two(overall, tools, label):
    tool_scores = dict(zip(("IIT", "EIT", "OIT"), (D(t) for t in tools), strict=True))

    assert rate(D(overall), tool_scores, FIVE_LEVELS).label == label


def test_level_is_unknown_when_it_depends_on_tool_scores_nobody_entered():
    assert rate(D("96"), {}, FIVE_LEVELS) is None


def test_level_check_flags_a_published_level_that_the_rule_does_not_give():
    data = khlong_hin_pun_2568()
    data = AssessmentInput(
        tools=data.tools,
        indicators=data.indicators,
        bands=data.bands,
        published_overall=data.published_overall,
        published_level="ผ่านดีเยี่ยม",
    )

    scores = evaluate(data)

    assert scores.level_mismatch
    assert "level" in scores.mismatches


def test_overall_within_rounding_is_not_a_mismatch_but_beyond_is():
    assert not Check(D("94.39"), D("94.4099"), D("0.02")).mismatch
    assert Check(D("94.39"), D("94.42"), D("0.02")).mismatch


def test_tool_is_not_computed_from_a_partial_set_of_indicators():
    data = AssessmentInput(
        tools=TOOLS_2568,
        indicators=[IndicatorInput(1, "IIT", D(90)), IndicatorInput(2, "IIT", None)],
        bands=FIVE_LEVELS,
    )

    scores = evaluate(data)

    assert scores.tool("IIT").check.computed is None
    assert scores.overall.computed is None
