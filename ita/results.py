"""Plain values for one assessment's published results, and their validation.

`ResultSet` is what every way in (spreadsheet import, admin entry, demo data) hands to
`ita.services.results_save`; `Catalogue` is the year's framework reduced to the codes a
result may use. Both are plain so the rules can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
ITEM_STATUSES = ("pass", "partial", "fail")


@dataclass(frozen=True)
class ItemValue:
    score: Decimal | None = None
    status: str = ""
    reason: str = ""


@dataclass(frozen=True)
class IndicatorValue:
    score: Decimal | None = None
    analysis: str = ""


@dataclass
class ResultSet:
    overall: Decimal | None = None
    level: str = ""
    tools: dict[str, Decimal] = field(default_factory=dict)
    indicators: dict[int, IndicatorValue] = field(default_factory=dict)
    # (question code, channel code or None) -> score
    questions: dict[tuple[str, str | None], Decimal] = field(default_factory=dict)
    items: dict[str, ItemValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogue:
    """The codes one year's framework accepts."""

    fiscal_year: int
    tools: frozenset[str]
    indicators: frozenset[int]
    # question code -> channel codes of its tool (empty: a single, unnamed channel)
    questions: dict[str, frozenset[str]]
    items: frozenset[str]


def score_error(value: Decimal | None) -> str | None:
    if value is None:
        return None
    if not value.is_finite() or value < SCORE_MIN or value > SCORE_MAX:
        return _("คะแนน %(score)s อยู่นอกช่วง 0–100 / score %(score)s is outside 0–100") % {
            "score": value
        }
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        return _(
            "คะแนน %(score)s มีทศนิยมเกิน 2 ตำแหน่ง / score %(score)s has more than 2 decimals"
        ) % {"score": value}
    return None


def question_error(catalogue: Catalogue, code: str, channel: str | None) -> str | None:
    channels = catalogue.questions.get(code)
    if channels is None:
        return _(
            "ไม่มีข้อคำถาม %(code)s ในกรอบการประเมินปี %(year)s / "
            "question %(code)s is not in the %(year)s framework"
        ) % {"code": code, "year": catalogue.fiscal_year}
    if channels and channel not in channels:
        return _(
            "ข้อ %(code)s ต้องระบุช่องทางเป็น %(channels)s / "
            "question %(code)s needs a channel: %(channels)s"
        ) % {"code": code, "channels": ", ".join(sorted(channels))}
    if not channels and channel:
        return _(
            "ข้อ %(code)s ไม่มีช่องทาง %(channel)s / question %(code)s has no channel %(channel)s"
        ) % {"code": code, "channel": channel}
    return None


def validate(results: ResultSet, catalogue: Catalogue) -> list[str]:
    """Every reason the result set cannot be saved for this framework (empty when fine)."""
    errors: list[str] = []
    year = catalogue.fiscal_year

    def check_score(value: Decimal | None) -> None:
        message = score_error(value)
        if message:
            errors.append(message)

    check_score(results.overall)
    for code, score in results.tools.items():
        if code not in catalogue.tools:
            errors.append(
                _("ไม่มีเครื่องมือ %(code)s ในปี %(year)s / no tool %(code)s in %(year)s")
                % {"code": code, "year": year}
            )
        check_score(score)
    for number, value in results.indicators.items():
        if number not in catalogue.indicators:
            errors.append(
                _("ไม่มีตัวชี้วัดที่ %(number)s ในปี %(year)s / no indicator %(number)s in %(year)s")
                % {"number": number, "year": year}
            )
        check_score(value.score)
    for (code, channel), score in results.questions.items():
        message = question_error(catalogue, code, channel)
        if message:
            errors.append(message)
        check_score(score)
    for code, item in results.items.items():
        if code not in catalogue.items:
            errors.append(
                _("ไม่มีข้อ %(code)s ในปี %(year)s / no OIT item %(code)s in %(year)s")
                % {"code": code, "year": year}
            )
        if item.status and item.status not in ITEM_STATUSES:
            errors.append(
                _("ผลของข้อ %(code)s ไม่ถูกต้อง: %(status)s / invalid item result %(status)s")
                % {"code": code, "status": item.status}
            )
        check_score(item.score)
    return errors
