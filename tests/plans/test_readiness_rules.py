"""The OIT readiness board's pure rules: due dates, evidence URLs, overdue, order, counts,
public page years and link-check targets (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from plans.readiness import rules


def test_fiscal_year_bounds_run_from_october_to_september():
    assert rules.fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))


@pytest.mark.parametrize("day", [date(2025, 10, 1), date(2026, 3, 31), date(2026, 9, 30)])
def test_due_date_inside_the_fiscal_year_is_accepted(day):
    assert rules.due_date_error(day, 2569) is None


@pytest.mark.parametrize("day", [date(2025, 9, 30), date(2026, 10, 1), date(2030, 1, 1)])
def test_due_date_outside_the_fiscal_year_is_refused_in_thai_and_english(day):
    error = rules.due_date_error(day, 2569)

    assert error is not None
    assert "2569" in error
    assert "The due date must lie within fiscal year 2569" in error
    thai, english = error.split(" / ", 1)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in thai)
    assert english.startswith("The due date")


@pytest.mark.parametrize(
    "url", ["", "https://www.example.go.th/oit/o1", "http://khlonghinpun.go.th/?page=ita"]
)
def test_evidence_url_http_or_https_is_accepted(url):
    assert rules.evidence_url_error(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.go.th/file.pdf",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "www.example.go.th/oit",
        "https://",
        "https://exa mple.go.th/",
        "https://example.go.th/" + "a" * 500,
    ],
)
def test_evidence_url_other_schemes_or_malformed_are_refused(url):
    error = rules.evidence_url_error(url)

    assert error is not None
    assert " / " in error


def test_is_overdue_only_after_the_due_day_and_never_when_ready():
    due = date(2026, 3, 1)

    assert not rules.is_overdue(status="in_progress", due=due, today=date(2026, 3, 1))
    assert rules.is_overdue(status="in_progress", due=due, today=date(2026, 3, 2))
    assert rules.is_overdue(status="not_started", due=due, today=date(2026, 3, 2))
    assert not rules.is_overdue(status="ready", due=due, today=date(2026, 3, 2))
    assert not rules.is_overdue(status="checked", due=due, today=date(2026, 3, 2))
    assert not rules.is_overdue(status="not_started", due=None, today=date(2026, 3, 2))


def test_board_order_puts_overdue_first_then_earliest_due_then_item_order():
    keys = [
        rules.BoardKey(overdue=False, due=date(2026, 3, 1), order=1, code="o1"),
        rules.BoardKey(overdue=True, due=date(2026, 2, 1), order=5, code="o5"),
        rules.BoardKey(overdue=False, due=date(2026, 2, 15), order=3, code="o3"),
        rules.BoardKey(overdue=False, due=date(2026, 3, 1), order=2, code="o2"),
        rules.BoardKey(overdue=False, due=None, order=0, code="o0"),
    ]

    order = rules.board_order(keys)

    assert [keys[i].code for i in order] == ["o5", "o3", "o1", "o2", "o0"]


def test_status_counts_list_every_status_with_zeros():
    counts = rules.status_counts(["ready", "not_started", "ready"])

    assert [(c.value, c.count) for c in counts] == [
        ("not_started", 1),
        ("in_progress", 0),
        ("ready", 2),
        ("checked", 0),
    ]


def test_public_page_year_of_the_documents_the_app_produces():
    # Rule (source: /work/shared/reference/ita-2569-oit.md, "The documents this app produces"
    # and "Other agencies publish the pair every year: measures for year N and a report on
    # year N-1's measures"; the 2568 reference document is the analysis of the 2568 results
    # with measures for ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙, i.e. 2569's O25). The public app lists a
    # plan and its documents under the results year it was drafted from (public.queries,
    # documents.services: stored under plan.assessment's year; the plan runs the year after).
    # - O25 of assessment Y: analysis of Y-1's results + FY Y's measures -> page Y-1.
    # - O26 of assessment Y: how FY Y-1's measures went; that plan was drafted from Y-2's
    #   results -> page Y-2 (the page of Y-1 holds the plan still running in FY Y).
    assert rules.public_page_year("improvement_measures", 2569) == 2568
    assert rules.public_page_year("measures_report", 2569) == 2567
    # The same rule for any year: 2570's O25 is the 2569 analysis with the 2570 plan.
    assert rules.public_page_year("improvement_measures", 2570) == 2569
    assert rules.public_page_year("measures_report", 2570) == 2568
    assert rules.public_page_year("none", 2569) is None


def test_target_refusal_refuses_private_loopback_and_link_local_addresses():
    url = "http://intranet.example/"

    for address in ["127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "::1", "fd00::1"]:
        assert rules.target_refusal(url, [address]) is not None, address
    assert rules.target_refusal(url, ["8.8.8.8"]) is None
    assert rules.target_refusal(url, ["127.0.0.1"], allow_private=True) is None


def test_target_refusal_refuses_other_schemes_and_unresolved_names_even_when_private_allowed():
    assert rules.target_refusal("file:///etc/passwd", ["127.0.0.1"], allow_private=True)
    assert rules.target_refusal("gopher://x/", ["8.8.8.8"], allow_private=True)
    assert rules.target_refusal("https://nowhere.invalid/", None, allow_private=True)


def test_status_choices_keep_checked_for_supervisors():
    def values(**kwargs):
        return [value for value, _label in rules.status_choices(**kwargs)]

    assert values(can_manage=True, current="ready") == [
        "not_started",
        "in_progress",
        "ready",
        "checked",
    ]
    assert values(can_manage=False, current="ready") == ["not_started", "in_progress", "ready"]
    assert "checked" in values(can_manage=False, current="checked")
