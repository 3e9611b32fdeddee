"""The one judgement of a score: pass or weak, maintain or improve, and which OIT items are weak.

Pure: plain values in, plain values out. The lines come from the year's framework data —
the pass line is the lowest overall score of the framework's passing rating bands (85 in
every ITA year so far), the "improve below" line is a setting of the framework (95 by
default, the bar of the top level) — so the dashboard, the charts, the analysis report and
the drafted plan all judge a score the same way. ``ita.queries`` reads the lines once per
year (`YearFigures.lines`); everything else asks this module.

- weak: a score below the pass line (orange on the pages, "needs attention");
- improve / maintain: the verdict column of the report and where the plan proposes actions;
- an OIT item is weak when its recorded result is "fail" or "partial"; a recorded "pass" is
  the NACC's word and is never weak; without a recorded result, a score of 0 fails and a
  score under 100 is partial.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ita.enums import ItemStatus
from ita.scoring import BandRule, round_score

# Used only for a framework whose rating bands are not entered yet.
DEFAULT_PASS_LINE = Decimal("85")
# The default of Framework.improve_below.
DEFAULT_IMPROVE_BELOW = Decimal("95")


class Verdict(StrEnum):
    MAINTAIN = "maintain"
    IMPROVE = "improve"


@dataclass(frozen=True)
class Lines:
    """A year's two lines. Scores compare at the published precision (2 decimals)."""

    pass_line: Decimal = DEFAULT_PASS_LINE
    improve_below: Decimal = DEFAULT_IMPROVE_BELOW

    def is_weak(self, score: Decimal | None) -> bool:
        """Below the pass line; no score is not weak (nothing to judge)."""
        return score is not None and round_score(score) < self.pass_line

    def passes(self, score: Decimal | None) -> bool:
        return score is not None and not self.is_weak(score)

    def verdict(self, score: Decimal | None) -> Verdict | None:
        if score is None:
            return None
        return Verdict.IMPROVE if self.needs_improving(score) else Verdict.MAINTAIN

    def needs_improving(self, score: Decimal | None) -> bool:
        return score is not None and round_score(score) < self.improve_below


def chosen_verdict(drafted: Verdict | None, saved: str) -> Verdict | None:
    """The verdict a document prints: the organisation's saved choice, else the drafted one.

    ``saved`` is ``IndicatorResult.verdict``: "" (no choice, follow the rule) or a
    ``Verdict`` value. Without a score there is nothing to judge, so no choice applies.
    """
    if drafted is None or not saved:
        return drafted
    return Verdict(saved)


# The lines of a framework with no bands entered and the default setting.
DEFAULT_LINES = Lines()


def pass_line_of(bands: Iterable[BandRule]) -> Decimal:
    """The lowest overall score that still rates as a pass."""
    passing = [band.min_overall for band in bands if band.passes]
    return min(passing) if passing else DEFAULT_PASS_LINE


def lines_of(bands: Iterable[BandRule], improve_below: Decimal | None = None) -> Lines:
    return Lines(
        pass_line=pass_line_of(bands),
        improve_below=DEFAULT_IMPROVE_BELOW if improve_below is None else improve_below,
    )


def item_weakness(status: str, score: Decimal | None) -> ItemStatus | None:
    """FAIL or PARTIAL for a weak OIT item, None for one that passed or has no result."""
    if status in (ItemStatus.FAIL, ItemStatus.PARTIAL):
        return ItemStatus(status)
    if status or score is None:
        return None  # a recorded pass (or an unknown status) is the published verdict
    if score == 0:
        return ItemStatus.FAIL
    return ItemStatus.PARTIAL if score < 100 else None


def item_is_weak(status: str, score: Decimal | None) -> bool:
    return item_weakness(status, score) is not None
