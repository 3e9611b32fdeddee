"""Plain rules of the OIT readiness board (no ORM): due dates, evidence URLs, overdue, order,
counts, which public year page an item the app produces links to, and which link targets the
checker may fetch.

The board, the my-work page, the checklist and the link checker all ask these functions, so
a refusal reads the same everywhere.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.enums import DocumentRole
from ita.thai import ce_year
from plans.enums import ReadinessStatus

ALLOWED_SCHEMES = frozenset({"http", "https"})
MAX_URL_LENGTH = 500


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a Thai fiscal year (B.E.): FY 2569 is 1 Oct 2025 – 30 Sep 2026."""
    year = ce_year(fiscal_year)
    return date(year - 1, 10, 1), date(year, 9, 30)


def due_date_error(due: date | None, fiscal_year: int) -> str | None:
    """Why a due date cannot be used for the board of a fiscal year (None when it can)."""
    if due is None:
        return None
    first, last = fiscal_year_bounds(fiscal_year)
    if first <= due <= last:
        return None
    return bilingual(
        gettext_noop(
            "The due date must lie within fiscal year %(year)s "
            "(1 October %(first)s – 30 September %(last)s)."
        ),
        year=fiscal_year,
        first=fiscal_year - 1,
        last=fiscal_year,
    )


def evidence_url_error(url: str) -> str | None:
    """Why an evidence URL is refused (None when it is an http(s) address with a host)."""
    if not url:
        return None
    if len(url) > MAX_URL_LENGTH:
        return bilingual(
            gettext_noop("The address is longer than %(limit)s characters."), limit=MAX_URL_LENGTH
        )
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        return bilingual(
            gettext_noop(
                "The evidence address must start with http:// or https:// and name a web site, "
                "e.g. https://www.example.go.th/oit/o1."
            )
        )
    if any(ch.isspace() for ch in url):
        return bilingual(gettext_noop("The evidence address may not contain spaces."))
    return None


def is_overdue(*, status: str, due: date | None, today: date) -> bool:
    """Evidence not yet ready whose due date has passed (the due day itself is in time)."""
    return due is not None and status not in ReadinessStatus.DONE and today > due


def status_choices(*, can_manage: bool, current: str) -> list[tuple[str, str]]:
    """The statuses a user may set: "checked" is the supervisor's word that the evidence on
    the web site was looked at; a clerk may keep it, not give it."""
    return [
        (value, str(label))
        for value, label in ReadinessStatus.choices
        if can_manage or value != ReadinessStatus.CHECKED or current == ReadinessStatus.CHECKED
    ]


@dataclass(frozen=True)
class BoardKey:
    """What the board sorts by: overdue first, then the earliest due date, then item order."""

    overdue: bool
    due: date | None
    order: int
    code: str

    def sort_key(self) -> tuple[int, date, int, str]:
        return (0 if self.overdue else 1, self.due or date.max, self.order, self.code)


def board_order(keys: Sequence[BoardKey]) -> list[int]:
    """Positions of `keys` in board order."""
    return sorted(range(len(keys)), key=lambda index: keys[index].sort_key())


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int


def status_counts(statuses: Iterable[str]) -> list[StatusCount]:
    """How many items are in each status, every status listed (zeros too), in choice order."""
    counted = Counter(statuses)
    return [
        StatusCount(value=value, label=str(label), count=counted.get(value, 0))
        for value, label in ReadinessStatus.choices
    ]


def public_page_year(document_role: str, fiscal_year: int) -> int | None:
    """The public year page showing what an item the app produces asks for, if any.

    A public year page shows that year's results and the plan drafted from them. The
    improvement-measures item of assessment year Y asks for the analysis of Y-1's results
    and the plan made from it (page Y-1); the measures report asks how the measures of the
    plan before went (the plan drafted from Y-2's results, page Y-2). Checked against
    shared/reference/ita-2569-oit.md (2569: O25 = analysis of 2568 + 2569 measures, O26 =
    report on 2568's measures) and the public app, which lists a plan and its signed copies
    under the results year it was drafted from.
    """
    if document_role == DocumentRole.IMPROVEMENT_MEASURES:
        return fiscal_year - 1
    if document_role == DocumentRole.MEASURES_REPORT:
        return fiscal_year - 2
    return None


def target_refusal(
    url: str, addresses: Iterable[str] | None, *, allow_private: bool = False
) -> str | None:
    """Why the link checker must not fetch `url` (resolved to `addresses`), else None.

    Only http(s); never a private, loopback, link-local or reserved address, so a link
    typed on the board cannot make the server probe its own network (the tests allow
    private addresses to reach their local server). `addresses` None: the name did not
    resolve.
    """
    error = evidence_url_error(url)
    if error or not url:
        return error or bilingual(gettext_noop("No address to check."))
    if addresses is None:
        return bilingual(gettext_noop("The site's name could not be found."))
    if allow_private:
        return None
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return bilingual(gettext_noop("The site's address could not be read."))
        if not ip.is_global or ip.is_multicast:
            return bilingual(
                gettext_noop("The address points into a private network; it was not checked.")
            )
    return None
