"""Propose draft actions from an assessment's scores (pure: plain values in, plain values out).

Supervisors start next year's plan from what went weak: an indicator below the threshold,
an indicator that fell against the previous year, or an open-data (OIT) item that failed or
passed only partly. Each proposal carries a finding written from the scores, the way the
reference document writes it ("คะแนน ๙๔.๓๘ - ..."), and the standard measure kept for that
indicator; the supervisor edits and accepts. Findings are Thai document text, not interface
strings, so they are written in Thai with Thai digits whatever the interface language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ita.judgement import DEFAULT_IMPROVE_BELOW, item_weakness
from ita.thai import format_score, thai_digits

# A drop smaller than a point is within the year-to-year noise of the survey tools.
DEFAULT_MIN_DROP = Decimal("1")

BELOW_THRESHOLD = "below_threshold"
FALLING = "falling"
ITEM_FAILED = "item_failed"
ITEM_PARTIAL = "item_partial"

_ITEM_STATUS_TH = {"fail": "ไม่ผ่าน", "partial": "ผ่านบางส่วน"}


@dataclass(frozen=True)
class IndicatorScore:
    number: int
    name: str
    score: Decimal | None
    previous: Decimal | None = None


@dataclass(frozen=True)
class ItemOutcome:
    code: str
    title: str
    indicator_number: int
    score: Decimal | None
    status: str = ""
    reason: str = ""

    @property
    def weakness(self) -> str | None:
        """fail / partial from the recorded result, else from the score (``ita.judgement``)."""
        weakness = item_weakness(self.status, self.score)
        return None if weakness is None else str(weakness)


@dataclass(frozen=True)
class TemplateText:
    """A standard measure for an indicator (item_code "") or for one OIT item."""

    indicator_number: int
    item_code: str
    issue: str
    measure: str
    steps: str


@dataclass(frozen=True)
class DraftRules:
    threshold: Decimal = DEFAULT_IMPROVE_BELOW  # the framework's "improve below" line
    min_drop: Decimal = DEFAULT_MIN_DROP


@dataclass(frozen=True)
class DraftAction:
    indicator_number: int
    indicator_name: str
    item_code: str
    reasons: tuple[str, ...]
    score: Decimal | None
    finding: str
    measure: str
    steps: str

    @property
    def key(self) -> str:
        """Stable identifier of a proposal within one assessment, e.g. "10-o27" or "4"."""
        return (
            f"{self.indicator_number}-{self.item_code}"
            if self.item_code
            else str(self.indicator_number)
        )


def indicator_reasons(indicator: IndicatorScore, rules: DraftRules) -> tuple[str, ...]:
    if indicator.score is None:
        return ()
    reasons: list[str] = []
    if indicator.score < rules.threshold:
        reasons.append(BELOW_THRESHOLD)
    if indicator.previous is not None and indicator.previous - indicator.score >= rules.min_drop:
        reasons.append(FALLING)
    return tuple(reasons)


def _template_for(
    templates: Sequence[TemplateText], number: int, item_code: str = ""
) -> TemplateText | None:
    exact = [t for t in templates if t.indicator_number == number and t.item_code == item_code]
    if exact:
        return exact[0]
    general = [t for t in templates if t.indicator_number == number and not t.item_code]
    return general[0] if general else None


def _score_line(indicator: IndicatorScore, reasons: Iterable[str]) -> str:
    line = f"คะแนน {format_score(indicator.score)}"
    if FALLING in reasons and indicator.previous is not None and indicator.score is not None:
        drop = format_score(indicator.previous - indicator.score)
        line += f" (ลดลง {drop} คะแนนจากปีก่อน {format_score(indicator.previous)})"
    return line


def _finding(lines: Iterable[str]) -> str:
    first, *rest = [line for line in lines if line]
    return thai_digits("\n".join([first, *(f"- {line}" for line in rest)]))


def draft_actions(
    indicators: Sequence[IndicatorScore],
    items: Sequence[ItemOutcome],
    templates: Sequence[TemplateText],
    rules: DraftRules | None = None,
) -> list[DraftAction]:
    """One proposal per weak OIT item, and per weak indicator that has no weak item.

    A weak item is the thing to fix, so it replaces its indicator's general proposal; an
    item in an indicator that is otherwise fine (o16 at 50 in an indicator of 98.25) is
    still proposed, because the NACC checks it again next year.
    """
    rules = rules or DraftRules()
    by_number = {i.number: i for i in indicators}
    weak_items: dict[int, list[ItemOutcome]] = {}
    for item in items:
        if item.weakness and item.indicator_number in by_number:
            weak_items.setdefault(item.indicator_number, []).append(item)

    proposals: list[DraftAction] = []
    for indicator in sorted(indicators, key=lambda i: i.number):
        reasons = indicator_reasons(indicator, rules)
        if indicator.number in weak_items:
            for item in weak_items[indicator.number]:
                template = _template_for(templates, indicator.number, item.code)
                item_reasons = (*reasons, ITEM_FAILED if item.weakness == "fail" else ITEM_PARTIAL)
                item_line = f"ข้อ {item.code} {item.title}".strip()
                if item.score is not None:
                    item_line += f" ได้คะแนน {format_score(item.score)}"
                item_line += f" ({_ITEM_STATUS_TH[item.weakness or 'partial']})"
                proposals.append(
                    DraftAction(
                        indicator_number=indicator.number,
                        indicator_name=indicator.name,
                        item_code=item.code,
                        reasons=item_reasons,
                        score=indicator.score,
                        finding=_finding(
                            [
                                _score_line(indicator, reasons),
                                item_line,
                                ""
                                if item.title and item.reason.startswith(item.title)
                                else item.reason,
                                template.issue if template else "",
                            ]
                        ),
                        measure=template.measure if template else "",
                        steps=template.steps if template else "",
                    )
                )
        elif reasons:
            template = _template_for(templates, indicator.number)
            proposals.append(
                DraftAction(
                    indicator_number=indicator.number,
                    indicator_name=indicator.name,
                    item_code="",
                    reasons=reasons,
                    score=indicator.score,
                    finding=_finding(
                        [_score_line(indicator, reasons), template.issue if template else ""]
                    ),
                    measure=template.measure if template else "",
                    steps=template.steps if template else "",
                )
            )
    return proposals
