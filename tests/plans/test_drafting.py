from __future__ import annotations

from decimal import Decimal

from plans.drafting import (
    BELOW_THRESHOLD,
    FALLING,
    ITEM_FAILED,
    ITEM_PARTIAL,
    DraftRules,
    IndicatorScore,
    ItemOutcome,
    TemplateText,
    draft_actions,
)

D = Decimal
REFERENCE_2568 = {
    1: "98.07", 2: "99.12", 3: "99.12", 4: "94.38", 5: "97.02",
    6: "93.92", 7: "90.55", 8: "90.31", 9: "98.25", 10: "90.00",
}  # fmt: skip
REFERENCE_ITEMS = [
    ItemOutcome("o16", "ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม", 9, D("50.00"), "partial"),
    ItemOutcome("o27", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", 10, D("50.00"), "partial"),
    ItemOutcome("o1", "โครงสร้างและอำนาจหน้าที่", 9, D("100.00"), "pass"),
]
TEMPLATES = [
    TemplateText(4, "", "มีการขอยืมทรัพย์สินของทางราชการไปใช้อย่างไม่ถูกต้อง", "จัดทำคู่มือการยืม", "ระบุขั้นตอน"),
    TemplateText(10, "", "มาตรการยังป้องกันไม่ได้จริง", "วิเคราะห์มาตรการ", "ประเมินความเสี่ยง"),
    TemplateText(10, "o27", "", "ทบทวนมาตรการ o27", "เผยแพร่มาตรการ"),
]  # fmt: skip


def reference_indicators(previous: dict[int, str] | None = None) -> list[IndicatorScore]:
    previous = previous or {}
    return [
        IndicatorScore(n, f"ตัวชี้วัด {n}", D(s), D(previous[n]) if n in previous else None)
        for n, s in REFERENCE_2568.items()
    ]


def test_draft_actions_for_the_reference_year_match_the_plan_and_add_o16():
    proposals = draft_actions(reference_indicators(), REFERENCE_ITEMS, TEMPLATES)

    assert [p.key for p in proposals] == ["4", "6", "7", "8", "9-o16", "10-o27"]


def test_draft_finding_starts_with_the_score_in_thai_digits_and_the_weak_point():
    proposal = draft_actions(reference_indicators(), [], TEMPLATES)[0]

    assert proposal.finding == ("คะแนน ๙๔.๓๘\n- มีการขอยืมทรัพย์สินของทางราชการไปใช้อย่างไม่ถูกต้อง")
    assert (proposal.measure, proposal.steps) == ("จัดทำคู่มือการยืม", "ระบุขั้นตอน")
    assert proposal.reasons == (BELOW_THRESHOLD,)


def test_draft_weak_item_replaces_its_indicator_and_uses_the_item_template():
    proposals = draft_actions(reference_indicators(), REFERENCE_ITEMS, TEMPLATES)
    o27 = next(p for p in proposals if p.item_code == "o27")

    assert [p.key for p in proposals if p.indicator_number == 10] == ["10-o27"]
    assert o27.reasons == (BELOW_THRESHOLD, ITEM_PARTIAL)
    assert o27.finding.splitlines()[:2] == [
        "คะแนน ๙๐.๐๐",
        "- ข้อ o๒๗ มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ได้คะแนน ๕๐.๐๐ (ผ่านบางส่วน)",
    ]
    assert o27.measure == "ทบทวนมาตรการ o27"


def test_draft_indicator_falling_by_a_point_is_proposed_even_above_the_threshold():
    indicators = reference_indicators(previous={1: "99.50", 2: "99.50", 3: "99.20"})

    proposals = draft_actions(indicators, [], [])

    assert proposals[0].key == "1"
    assert proposals[0].reasons == (FALLING,)
    assert proposals[0].finding == "คะแนน ๙๘.๐๗ (ลดลง ๑.๔๓ คะแนนจากปีก่อน ๙๙.๕๐)"
    assert "2" not in [p.key for p in proposals]  # fell by 0.38: noise
    assert "3" not in [p.key for p in proposals]  # fell by 0.08


def test_draft_threshold_is_a_rule_the_caller_can_change():
    proposals = draft_actions(reference_indicators(), [], [], DraftRules(threshold=D("91")))

    assert [p.key for p in proposals] == ["7", "8", "10"]


def test_draft_item_status_missing_is_read_from_the_score():
    items = [
        ItemOutcome("o24", "รายงานผลการจัดการความเสี่ยง", 10, D("0")),
        ItemOutcome("o25", "แผนปฏิบัติการป้องกันการทุจริต", 10, D("100")),
    ]

    proposals = draft_actions([IndicatorScore(10, "", D("96"))], items, [])

    assert [(p.key, p.reasons) for p in proposals] == [("10-o24", (ITEM_FAILED,))]
    assert "(ไม่ผ่าน)" in proposals[0].finding


def test_draft_without_a_template_leaves_measure_empty_and_skips_unscored_indicators():
    proposals = draft_actions([IndicatorScore(5, "", D("80")), IndicatorScore(6, "", None)], [], [])

    assert [(p.key, p.measure, p.steps) for p in proposals] == [("5", "", "")]
