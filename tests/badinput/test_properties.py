"""Property tests (hypothesis) of the sheet reader and the importer.

Whatever the rows hold, reading raises nothing but `SheetFileError`, importing raises nothing
but `SheetErrors`/`SheetFileError`, and a refused import leaves every results table as it was.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ita.services.results_import import parse_tables, results_import
from ita.sheets import FormulaCell, SheetErrors, SheetFileError, Table, read_sheet_file
from ita.sheets.cells import COLUMNS, KINDS
from tests.badinput.test_corpus import counts

DB_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scores = st.one_of(
    st.none(),
    st.decimals(min_value=-1000, max_value=1000, places=3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.text(max_size=12),
    st.sampled_from(["95.5", "๙๕.๕๐", " 100 ", "1e2", "", "-0", "NaN", "Infinity"]),
    st.builds(FormulaCell, st.just("=1+1")),
)
codes = st.one_of(
    st.sampled_from(["IIT", "EIT", "OIT", "i1", "i15", "e1", "e9", "o1", "o27", "o99", "x"]),
    st.integers(min_value=-2, max_value=12),
    st.text(max_size=8),
    st.none(),
)
texts = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["2568", "2400", "อบต.", "สระแก้ว", "=cmd|' /C calc'!A0", "pass"]),
)
rows = st.fixed_dictionaries(
    {
        "kind": st.one_of(st.sampled_from([*KINDS, "", "bogus", "Indicator"]), st.text(max_size=8)),
        "code": codes,
        "channel": st.one_of(st.sampled_from(["public", "survey", ""]), st.text(max_size=6)),
        "label": texts,
        "score": scores,
        "status": st.one_of(st.sampled_from(["pass", "partial", "fail", "ผ่าน", ""]), texts),
        "text": texts,
    }
)
META = [
    {"kind": "fiscal_year", "text": "2568"},
    {"kind": "organisation", "text": "อบต.ทดสอบสมบัติ"},
    {"kind": "province", "text": "สระแก้ว"},
    {"kind": "agency_type", "text": "sao"},
]


def _table(body: list[dict], with_meta: bool) -> Table:
    data = [*META, *body] if with_meta else body
    return Table("random", list(COLUMNS), [[row.get(c) for c in COLUMNS] for row in data])


@given(st.binary(max_size=3000), st.sampled_from(["x.csv", "x.xlsx", "x.txt"]))
def test_property_reading_any_bytes_raises_only_the_sheet_error(data, name):
    try:
        tables = read_sheet_file(name, data)
    except SheetFileError as exc:
        assert " / " in str(exc)  # Thai / English
    else:
        assert tables


@pytest.mark.django_db
@DB_SETTINGS
@given(st.lists(rows, max_size=25), st.booleans())
def test_property_import_of_random_rows_refuses_cleanly_or_saves(body, with_meta):
    before = counts()

    try:
        outcomes = results_import(sheets=parse_tables([_table(body, with_meta)]))
    except (SheetErrors, SheetFileError) as exc:
        errors = getattr(exc, "errors", [exc])
        assert errors and all(str(e) for e in errors)
        assert counts() == before
    else:
        assert len(outcomes) == 1


@pytest.mark.django_db
@DB_SETTINGS
@given(st.dictionaries(st.integers(1, 10), scores, min_size=1, max_size=10))
def test_property_indicator_scores_are_saved_only_when_valid_numbers(indicator_scores):
    body = [{"kind": "indicator", "code": n, "score": s} for n, s in indicator_scores.items()]
    before = counts()

    try:
        results_import(sheets=parse_tables([_table(body, True)]), dry_run=True)
    except SheetErrors:
        assert counts() == before
        return
    for score in indicator_scores.values():
        if score is None or str(score).strip() == "":  # blank cells (even "\r") are skipped
            continue
        value = Decimal(str(score).strip().translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
        assert Decimal(0) <= value <= Decimal(100)
    assert counts() == before  # a dry run never writes
