"""What an import will change: each value of the stored assessment against the sheet's.

Pure: two `ResultSet`s in (the stored one, or None for a new assessment), a list of
`Change`s out, one per value that is new, changed or removed, in sheet order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext

from ita.enums import ItemStatus
from ita.results import IndicatorValue, ItemValue, ResultSet

TEXT_SHOWN = 60  # characters of an analysis or reason shown in the preview


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    kind: str  # the sheet's row kind: overall, level, tool, indicator, question, item
    code: str
    channel: str
    change: ChangeKind
    old: str  # as shown; "" when there was none
    new: str

    @property
    def what(self) -> str:
        return " ".join(
            p for p in (self.kind, self.code, self.channel and f"({self.channel})") if p
        )


@dataclass(frozen=True)
class DiffSummary:
    new: int
    changed: int
    removed: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.new + self.changed + self.removed


def _score(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _text(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"


def _indicator(value: IndicatorValue) -> str:
    parts = [_score(value.score)]
    if (value.analysis or "").strip():
        parts.append(f"“{_text(value.analysis)}”")
    return " ".join(p for p in parts if p)


def _item(value: ItemValue) -> str:
    parts = [_score(value.score), value.status and status_label(value.status)]
    if (value.reason or "").strip():
        parts.append(f"“{_text(value.reason)}”")
    return " ".join(p for p in parts if p)


def status_label(status: str) -> str:
    return str(ItemStatus(status).label) if status in ItemStatus.values else status


def _natural(code: str) -> tuple[str, int, str]:
    letters = code.rstrip("0123456789")
    digits = code[len(letters) :]
    return (letters, int(digits) if digits else 0, code)


def results_diff(old: ResultSet | None, new: ResultSet) -> tuple[list[Change], DiffSummary]:
    """Every value that the import adds, changes or removes, and how many stay as they are."""
    old = old or ResultSet()
    changes: list[Change] = []
    tally: Counter[str] = Counter()

    def compare(kind: str, code: str, channel: str, before: str, after: str) -> None:
        if before == after:
            if before:
                tally["unchanged"] += 1
            return
        change = (
            ChangeKind.NEW
            if not before
            else ChangeKind.REMOVED
            if not after
            else ChangeKind.CHANGED
        )
        tally[change] += 1
        changes.append(Change(kind, code, channel, change, before, after))

    compare("overall", "", "", _score(old.overall), _score(new.overall))
    compare("level", "", "", old.level.strip(), new.level.strip())
    for code in sorted(old.tools.keys() | new.tools.keys()):
        compare("tool", code, "", _score(old.tools.get(code)), _score(new.tools.get(code)))
    for number in sorted(old.indicators.keys() | new.indicators.keys()):
        before, after = old.indicators.get(number), new.indicators.get(number)
        compare(
            "indicator",
            str(number),
            "",
            _indicator(before) if before else "",
            _indicator(after) if after else "",
        )
    for code, channel in sorted(
        old.questions.keys() | new.questions.keys(),
        key=lambda k: (_natural(k[0]), k[1] or ""),
    ):
        key = (code, channel)
        compare(
            "question",
            code,
            channel or "",
            _score(old.questions.get(key)),
            _score(new.questions.get(key)),
        )
    for code in sorted(old.items.keys() | new.items.keys(), key=_natural):
        before_item, after_item = old.items.get(code), new.items.get(code)
        compare(
            "item",
            code,
            "",
            _item(before_item) if before_item else "",
            _item(after_item) if after_item else "",
        )
    summary = DiffSummary(
        new=tally[ChangeKind.NEW],
        changed=tally[ChangeKind.CHANGED],
        removed=tally[ChangeKind.REMOVED],
        unchanged=tally["unchanged"],
    )
    return changes, summary


def change_label(change: ChangeKind) -> str:
    return {
        ChangeKind.NEW: gettext("new"),
        ChangeKind.CHANGED: gettext("changed"),
        ChangeKind.REMOVED: gettext("removed"),
    }[change]
