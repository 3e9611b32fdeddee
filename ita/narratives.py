"""Draft each indicator's analysis text from its figures (pure: plain values in, text out).

The reference document analyses every indicator in one paragraph: the score, the questions it
covers ("ตั้งแต่ข้อ i๑ ถึง ข้อ i๓"), the weak points, and the remedies the NACC recommends
("ประเด็น ... ดังนั้น หน่วยงานควร ..."). The app drafts that paragraph from the data and the
organisation's standard measures (``plans.models.MeasureTemplate``); staff edit it and the saved
text (``IndicatorResult.analysis``) is what prints.

Drafts are Thai document text, not interface strings: they are saved and printed in an
official Thai document, so they are written in Thai whatever the interface language (as
``plans.drafting`` does for findings). The short verdict column is computed each time and
is an interface string.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from ita.judgement import DEFAULT_LINES, Lines, Verdict, item_is_weak
from ita.thai import as_digits, format_score

# Questions are named as weak points only under the year's "improve below" line (the line
# from which ``plans.drafting`` proposes actions, see ``ita.judgement``), the lowest first,
# so part 1's verdicts agree with part 2's plan in the same document.
WEAK_QUESTION_LIMIT = 3

# The longest remark (the verdict column) and analysis text staff may save. The documents
# also cut anything longer, so no stored text can make a report too big to build.
REMARK_MAX_LENGTH = 2_000
ANALYSIS_MAX_LENGTH = 10_000
TRUNCATION_MARK = "…(ตัดข้อความ)"


def truncated(text: str, limit: int) -> str:
    """The text, or its first ``limit`` characters and a visible mark when it is longer."""
    if len(text) <= limit:
        return text
    return text[:limit] + TRUNCATION_MARK


def verdict_for(score: Decimal | None, lines: Lines = DEFAULT_LINES) -> Verdict | None:
    return lines.verdict(score)


def verdict_text(verdict: Verdict | None) -> str:
    """The sentence of the reference document's verdict column (ข้อบกพร่อง/.../รักษาระดับ)."""
    if verdict is None:
        return ""
    if verdict is Verdict.MAINTAIN:
        return gettext(
            "Maintain the level: keep the score up and keep every division informed of updates."
        )
    return gettext("Improve: raise the score and keep every division informed of updates.")


@dataclass(frozen=True)
class QuestionLine:
    code: str
    score: Decimal
    theme: str = ""


@dataclass(frozen=True)
class ItemLine:
    code: str
    title: str
    score: Decimal | None
    status: str = ""  # pass / partial / fail / ""
    reason: str = ""

    @property
    def is_weak(self) -> bool:
        return item_is_weak(self.status, self.score)


@dataclass(frozen=True)
class Remedy:
    """A standard measure: for the indicator (item_code "") or for one OIT item."""

    item_code: str
    issue: str
    measure: str
    steps: str = ""


@dataclass(frozen=True)
class IndicatorFacts:
    organisation: str
    number: int
    name: str
    score: Decimal | None
    questions: Sequence[QuestionLine] = ()
    items: Sequence[ItemLine] = ()
    remedies: Sequence[Remedy] = ()


def question_range(codes: Sequence[str]) -> str:
    """ตั้งแต่ข้อ i1 ถึง ข้อ i3 (or ข้อ i1 for a single question)."""
    if not codes:
        return ""
    if len(codes) == 1:
        return f"ข้อ {codes[0]}"
    return f"ตั้งแต่ข้อ {codes[0]} ถึง ข้อ {codes[-1]}"


def weak_questions(
    questions: Sequence[QuestionLine],
    lines: Lines = DEFAULT_LINES,
) -> list[QuestionLine]:
    weak = [q for q in questions if lines.needs_improving(q.score)]
    return sorted(weak, key=lambda q: (q.score, q.code))[:WEAK_QUESTION_LIMIT]


def _sentence(text: str) -> str:
    return " ".join(text.split())


# A list item starts a line or follows a space: "-ระบุ...\n-ประชาสัมพันธ์..." or "-ก -ข". A
# hyphen between spaces ("ติดต่อ - สอบถาม") or inside a word ("E-Service") is not one.
_BULLET = re.compile(r"(?:^|\s)[-•](?=\S)")


def _clauses(text: str) -> str:
    """Measures and steps are kept as lists; prose joins their items with "และ"."""
    parts = [_sentence(part) for part in _BULLET.split(text)]
    return " และ".join(p for p in parts if p)


def remedy_sentence(remedy: Remedy) -> str:
    """ประเด็น<issue> ดังนั้น หน่วยงานควร<measure> โดย<steps>."""
    text = f"หน่วยงานควร{_clauses(remedy.measure)}"
    steps = _clauses(remedy.steps)
    if steps:
        text += f" โดย{steps}"
    if remedy.issue.strip():
        text = f"ประเด็น{_clauses(remedy.issue)} ดังนั้น {text}"
    return text


def _listed(parts: Sequence[str]) -> str:
    """ก ข และ ค: Thai lists put "และ" before the last item only."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{' '.join(parts[:-1])} และ {parts[-1]}"


def _item_clause(item: ItemLine) -> str:
    clause = f"{item.code} {item.title}".strip()
    if item.score is not None:
        clause += f" ได้คะแนน {format_score(item.score)} คะแนน"
    reason = _sentence(item.reason)
    if reason and item.title not in reason:
        clause += f" ({reason})"
    return clause


def _remedies_for(facts: IndicatorFacts, weak_items: Sequence[ItemLine]) -> list[Remedy]:
    """Item-specific remedies for the weak items, then the indicator's general one."""
    chosen = []
    for item in weak_items:
        chosen += [r for r in facts.remedies if r.item_code == item.code]
    chosen += [r for r in facts.remedies if not r.item_code]
    return chosen


def draft_analysis(
    facts: IndicatorFacts,
    *,
    thai: bool = True,
    lines: Lines = DEFAULT_LINES,
) -> str:
    """The analysis paragraph(s) of one indicator, in the reference document's wording."""
    score = format_score(facts.score) if facts.score is not None else "-"
    opening = f"{facts.organisation} มีผลคะแนนในตัวชี้วัด{facts.name} อยู่ที่ {score} คะแนน"
    codes = [q.code for q in facts.questions]
    if codes:
        opening += f" โดยประกอบด้วยข้อคำถามจำนวน {len(codes)} ข้อคำถาม {question_range(codes)}"

    weak = weak_questions(facts.questions, lines)
    if weak:
        listed = _listed(
            [
                f"ข้อ {q.code}{f' ({q.theme})' if q.theme else ''} ได้คะแนน {format_score(q.score)}"
                for q in weak
            ]
        )
        opening += f" ข้อคำถามที่ควรปรับปรุง ได้แก่ {listed}"
    weak_items = [i for i in facts.items if i.is_weak]
    if weak_items:
        opening += " ซึ่งในข้อคำถาม " + _listed([_item_clause(i) for i in weak_items])
    if lines.verdict(facts.score) is Verdict.MAINTAIN and not weak and not weak_items:
        opening += " ซึ่งอยู่ในระดับดี หน่วยงานควรรักษาระดับการดำเนินงานนี้ไว้"

    paragraphs = [opening, *(remedy_sentence(r) for r in _remedies_for(facts, weak_items))]
    return as_digits("\n\n".join(paragraphs), thai=thai)
