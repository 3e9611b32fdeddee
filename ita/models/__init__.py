"""ITA frameworks (per fiscal year, as data), organisations and published results.

A framework is the NACC's method for one fiscal year (B.E.): its tools with weights, the 10
indicators, the questions and open-data items, and the rating bands. Results store what
the NACC *published*; computed values live in `ita.scoring` and are only ever a check.
"""

from __future__ import annotations

from ita.enums import AgencyType, Aggregation, ItemStatus, MemberRole
from ita.models.frameworks import (
    SCORE_VALIDATORS,
    YEAR_VALIDATORS,
    Channel,
    Framework,
    Indicator,
    Item,
    Question,
    RatingBand,
    Tool,
    score_field,
)
from ita.models.organisations import Division, Membership, Organisation
from ita.models.peers import PeerCell, PeerStanding, PeerYear
from ita.models.results import (
    Assessment,
    IndicatorResult,
    ItemResult,
    QuestionScore,
    ToolResult,
)

__all__ = [
    "SCORE_VALIDATORS",
    "YEAR_VALIDATORS",
    "AgencyType",
    "Aggregation",
    "Assessment",
    "Channel",
    "Division",
    "Framework",
    "Indicator",
    "IndicatorResult",
    "Item",
    "ItemResult",
    "ItemStatus",
    "MemberRole",
    "Membership",
    "Organisation",
    "PeerCell",
    "PeerStanding",
    "PeerYear",
    "Question",
    "QuestionScore",
    "RatingBand",
    "Tool",
    "ToolResult",
    "score_field",
]
