"""Did it work? The one rule comparing a measure's target across two years (no ORM).

The page, the plan summary, the dashboard panel and the follow-up report all take their
verdict from `outcome_verdict`, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from plans.enums import ActionStatus, OutcomeVerdict

# Published scores carry two decimals and move a little from sampling alone: a change of at
# most this many points counts as unchanged.
UNCHANGED_TOLERANCE = Decimal("1.00")


def outcome_verdict(
    *,
    base: Decimal | None,
    later: Decimal | None,
    comparable: bool,
    later_published: bool,
    tolerance: Decimal = UNCHANGED_TOLERANCE,
) -> OutcomeVerdict:
    """The verdict for one target.

    `comparable` is False when the target has no counterpart in the later year (another
    framework family, or a question/item code that no longer exists); `later_published` is
    False while the later year's assessment is not there yet.
    """
    if not later_published:
        return OutcomeVerdict.NO_RESULT_YET
    if not comparable or base is None or later is None:
        return OutcomeVerdict.NOT_COMPARABLE
    change = later - base
    if abs(change) <= tolerance:
        return OutcomeVerdict.UNCHANGED
    return OutcomeVerdict.IMPROVED if change > 0 else OutcomeVerdict.FELL


@dataclass(frozen=True)
class ActionOutcome:
    """One measure's result: what it targeted, both scores and the verdict."""

    action_id: int
    target: str
    status: str
    base_year: int
    base: Decimal | None
    later_year: int
    later: Decimal | None
    verdict: OutcomeVerdict

    @property
    def done_but_fell(self) -> bool:
        """A measure reported done whose target fell: the supervisor looks at these first."""
        return self.status == ActionStatus.DONE and self.verdict == OutcomeVerdict.FELL

    @property
    def change(self) -> Decimal | None:
        if self.base is None or self.later is None:
            return None
        return self.later - self.base


def sort_for_supervisor(outcomes: Iterable[ActionOutcome]) -> list[ActionOutcome]:
    """Done-but-fell first, then the rest in their plan order (a stable sort keeps it)."""
    return sorted(outcomes, key=lambda o: not o.done_but_fell)


@dataclass(frozen=True)
class OutcomeSummary:
    worked: int
    judged: int
    done_but_fell: int


def summarise(outcomes: Iterable[ActionOutcome]) -> OutcomeSummary:
    """ "Worked" means improved; only measures with a comparable later result are judged."""
    items = list(outcomes)
    judged = [
        o
        for o in items
        if o.verdict in (OutcomeVerdict.IMPROVED, OutcomeVerdict.UNCHANGED, OutcomeVerdict.FELL)
    ]
    return OutcomeSummary(
        worked=sum(o.verdict == OutcomeVerdict.IMPROVED for o in judged),
        judged=len(judged),
        done_but_fell=sum(o.done_but_fell for o in items),
    )
