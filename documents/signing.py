"""Which documents may be signed, and when (pure: plain values in, a reason or None out).

A signed copy never changes, so each is signed once: the analysis report once per year, the
plan once per approved revision (at approval), each follow-up edition once and only after
its as-of date, when what it reports is complete.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_noop

from documents.enums import DocumentKind, SignedEdition
from plans.enums import PlanStatus

SIGNABLE_KINDS = frozenset({DocumentKind.REPORT, DocumentKind.PLAN, DocumentKind.FOLLOWUP})


def sign_refusal(
    kind: str,
    *,
    already_signed: bool,
    plan_status: str | None = None,
    edition: str = "",
    as_of: date | None = None,
    today: date | None = None,
) -> str | None:
    """Why this document cannot be signed now (an untranslated message), or None."""
    if kind not in SIGNABLE_KINDS:
        return gettext_noop("This document cannot be signed.")
    if already_signed:
        return gettext_noop("This document has already been signed; its signed copy never changes.")
    if kind == DocumentKind.PLAN and plan_status not in (PlanStatus.APPROVED, PlanStatus.PRESENTED):
        return gettext_noop("Only an approved plan is stored as a signed copy.")
    if kind == DocumentKind.FOLLOWUP:
        if edition not in (SignedEdition.MID_YEAR, SignedEdition.YEAR_END):
            return gettext_noop("Only the six-month and the year-end reports are signed.")
        if as_of is not None and today is not None and today < as_of:
            return gettext_noop(
                "This edition can be signed from its as-of date on, when its period is over."
            )
    return None
