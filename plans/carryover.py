"""Which actions of last year's plan may be carried into the new one, and onto what (no ORM).

A new plan offers every unfinished action of the previous year's plan; the supervisor ticks
the ones to continue. A carried action aims at the same target in the new plan's framework:
an indicator by its number, a question or an OIT item by its code inside the indicator of the
same number. OIT codes shift between years (2568's o27 is 2569's o25), so a target with no
counterpart is not guessed: the form asks which target of the new framework to use, or the
indicator as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from plans.enums import ActionStatus

INDICATOR = "indicator"
QUESTION = "question"
ITEM = "item"


def target_key(kind: str, value: str | int) -> str:
    """A target of a framework as one form value: "indicator:4", "item:o25", "question:i3"."""
    return f"{kind}:{value}"


def parse_target_key(key: str) -> tuple[str, str]:
    kind, _, value = key.partition(":")
    if kind not in (INDICATOR, QUESTION, ITEM) or not value:
        raise ValueError(f"Not a target key: {key!r}")
    return kind, value


@dataclass(frozen=True)
class Target:
    """What an action aims at: an indicator, and optionally one question or item of it."""

    indicator_number: int
    question_code: str = ""
    item_code: str = ""

    @property
    def key(self) -> str:
        if self.item_code:
            return target_key(ITEM, self.item_code)
        if self.question_code:
            return target_key(QUESTION, self.question_code)
        return target_key(INDICATOR, self.indicator_number)


@dataclass(frozen=True)
class PreviousAction:
    pk: int
    status: str
    target: Target
    carried: bool  # already continued in some later plan


def carry_candidates(actions: Iterable[PreviousAction]) -> list[PreviousAction]:
    """The unfinished actions (not done, not cancelled) not carried anywhere yet, in order."""
    return [a for a in actions if a.status not in ActionStatus.CLOSED and not a.carried]


@dataclass(frozen=True)
class FrameworkTargets:
    """The new framework's targets: indicator numbers, and each code's indicator number."""

    indicators: frozenset[int]
    questions: Mapping[str, int]
    items: Mapping[str, int]


def target_match(target: Target, framework: FrameworkTargets) -> str | None:
    """The same target's key in the new framework, or None when someone has to choose.

    A code counts only when it sits in the indicator of the same number: a code that moved
    to another indicator names another thing.
    """
    number = target.indicator_number
    if number not in framework.indicators:
        return None
    if target.item_code:
        return target.key if framework.items.get(target.item_code) == number else None
    if target.question_code:
        return target.key if framework.questions.get(target.question_code) == number else None
    return target.key
