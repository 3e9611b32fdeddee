from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from ita.judgement import Lines
from ita.narratives import (
    IndicatorFacts,
    ItemLine,
    QuestionLine,
    Remedy,
    Verdict,
    draft_analysis,
    question_range,
    remedy_sentence,
    verdict_for,
    verdict_text,
    weak_questions,
)
from ita.thai import as_digits

ORGANISATION = "องค์การบริหารส่วนตำบลคลองหินปูน"
REMEDY_4 = Remedy(
    item_code="",
    issue="เจ้าหน้าที่บางรายมีการขอยืมทรัพย์สินของทางราชการไปใช้ปฏิบัติงานอย่างไม่ถูกต้อง",
    measure="จัดทำคู่มือหรือแนวทางการขอยืมใช้ทรัพย์สินของทางราชการอย่างชัดเจน",
    steps="-ระบุขั้นตอนการขอยืมไว้ในคู่มือ\n-ประชาสัมพันธ์คู่มือให้บุคลากรทราบ",
)


def indicator_4(**overrides) -> IndicatorFacts:
    values = {
        "organisation": ORGANISATION,
        "number": 4,
        "name": "การใช้ทรัพย์สินของราชการ",
        "score": Decimal("94.38"),
        "questions": [
            QuestionLine("i10", Decimal("88.42")),
            QuestionLine("i11", Decimal("99.47")),
            QuestionLine("i12", Decimal("95.26")),
        ],
        "remedies": [REMEDY_4],
    }
    values.update(overrides)
    return IndicatorFacts(**values)


def test_question_range_names_first_and_last_question():
    assert question_range(["i1", "i2", "i3"]) == "ตั้งแต่ข้อ i1 ถึง ข้อ i3"
    assert question_range(["e4"]) == "ข้อ e4"
    assert question_range([]) == ""


def test_verdict_maintains_from_the_threshold_and_improves_below():
    assert verdict_for(Decimal("95.00")) is Verdict.MAINTAIN
    assert verdict_for(Decimal("94.99")) is Verdict.IMPROVE
    assert verdict_for(Decimal("90.55"), Lines(improve_below=Decimal("90"))) is Verdict.MAINTAIN
    assert verdict_for(None) is None


def test_verdict_text_is_an_interface_string():
    with translation.override("en"):
        assert verdict_text(Verdict.MAINTAIN).startswith("Maintain the level")
        assert verdict_text(Verdict.IMPROVE).startswith("Improve")
        assert verdict_text(None) == ""


def test_draft_analysis_states_score_question_range_and_remedy_in_thai_digits():
    text = draft_analysis(indicator_4())

    assert text.startswith(
        "องค์การบริหารส่วนตำบลคลองหินปูน มีผลคะแนนในตัวชี้วัดการใช้ทรัพย์สินของราชการ"
        " อยู่ที่ ๙๔.๓๘ คะแนน โดยประกอบด้วยข้อคำถามจำนวน ๓ ข้อคำถาม ตั้งแต่ข้อ i๑๐ ถึง ข้อ i๑๒"
    )
    assert "ประเด็นเจ้าหน้าที่บางรายมีการขอยืมทรัพย์สิน" in text
    assert "ดังนั้น หน่วยงานควรจัดทำคู่มือหรือแนวทางการขอยืมใช้ทรัพย์สิน" in text
    assert "โดยระบุขั้นตอนการขอยืมไว้ในคู่มือ และประชาสัมพันธ์คู่มือให้บุคลากรทราบ" in text
    assert not any(ch.isascii() and ch.isdigit() for ch in text)


def test_draft_analysis_with_arabic_digits():
    text = draft_analysis(indicator_4(), thai=False)

    assert "อยู่ที่ 94.38 คะแนน" in text
    assert "ตั้งแต่ข้อ i10 ถึง ข้อ i12" in text


def test_draft_analysis_names_weak_questions_lowest_first():
    text = draft_analysis(indicator_4(), thai=False)

    assert "ข้อคำถามที่ควรปรับปรุง ได้แก่ ข้อ i10 ได้คะแนน 88.42" in text
    assert "ข้อ i11" not in text.split("ได้แก่")[1]  # 99.47 is not a weak point


def test_draft_analysis_names_weak_items_and_uses_their_own_remedy_first():
    facts = IndicatorFacts(
        organisation=ORGANISATION,
        number=10,
        name="การป้องกันการทุจริต",
        score=Decimal("90.00"),
        items=[
            ItemLine("o27", "มาตรการส่งเสริมคุณธรรม", Decimal("50.00"), "partial", ""),
            ItemLine("o21", "ประกาศเจตนารมณ์ No Gift Policy", Decimal("100.00"), "pass", ""),
        ],
        remedies=[
            Remedy("", "มาตรการยังไม่ได้ผล", "วิเคราะห์มาตรการ"),
            Remedy("o27", "", "ทบทวนมาตรการส่งเสริมคุณธรรม"),
        ],
    )

    text = draft_analysis(facts, thai=False)

    assert "ซึ่งในข้อคำถาม o27 มาตรการส่งเสริมคุณธรรม ได้คะแนน 50.00 คะแนน" in text
    assert "o21" not in text
    paragraphs = text.split("\n\n")
    assert paragraphs[1] == "หน่วยงานควรทบทวนมาตรการส่งเสริมคุณธรรม"
    assert paragraphs[2] == "ประเด็นมาตรการยังไม่ได้ผล ดังนั้น หน่วยงานควรวิเคราะห์มาตรการ"


def test_draft_analysis_of_a_strong_indicator_says_maintain():
    facts = indicator_4(
        score=Decimal("99.12"),
        questions=[QuestionLine("i4", Decimal("97.37")), QuestionLine("i5", Decimal("100"))],
        remedies=[],
    )

    text = draft_analysis(facts, thai=False)

    assert text.endswith("ซึ่งอยู่ในระดับดี หน่วยงานควรรักษาระดับการดำเนินงานนี้ไว้")


def test_weak_questions_keep_at_most_three():
    questions = [QuestionLine(f"i{n}", Decimal(80 + n)) for n in range(1, 6)]

    assert [q.code for q in weak_questions(questions)] == ["i1", "i2", "i3"]


def test_remedy_sentence_splits_inline_and_line_bullets():
    remedy = Remedy("", "", "-เปิดโอกาสให้มีส่วนร่วม -พัฒนาระบบ E-Service", "ติดต่อ - สอบถาม")

    assert remedy_sentence(remedy) == (
        "หน่วยงานควรเปิดโอกาสให้มีส่วนร่วม และพัฒนาระบบ E-Service โดยติดต่อ - สอบถาม"
    )


def test_as_digits_converts_both_ways():
    assert as_digits("คะแนน 94.39 ข้อ i1", thai=True) == "คะแนน ๙๔.๓๙ ข้อ i๑"
    assert as_digits("คะแนน ๙๔.๓๙ ข้อ i๑", thai=False) == "คะแนน 94.39 ข้อ i1"


def test_draft_analysis_lists_with_one_and_before_the_last_point():
    facts = indicator_4(
        questions=[
            QuestionLine("i10", Decimal("88.42")),
            QuestionLine("i11", Decimal("90.00")),
            QuestionLine("i12", Decimal("91.00")),
        ],
        remedies=[Remedy("", "-ยืมไม่ถูกต้อง -ใช้เพื่อประโยชน์ส่วนตัว", "จัดทำคู่มือ")],
    )

    text = draft_analysis(facts, thai=False)

    assert "ได้แก่ ข้อ i10 ได้คะแนน 88.42 ข้อ i11 ได้คะแนน 90.00 และ ข้อ i12 ได้คะแนน 91.00" in text
    assert "ประเด็นยืมไม่ถูกต้อง และใช้เพื่อประโยชน์ส่วนตัว ดังนั้น หน่วยงานควรจัดทำคู่มือ" in text
