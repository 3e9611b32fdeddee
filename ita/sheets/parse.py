"""Rows of a sheet into meta and an `ita.results.ResultSet`, with every row's errors.

Every row is checked before anything is written: the caller saves only a sheet without
errors. Pure: which years exist and their codes come in as `years` and `catalogue_for`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from ita.bilingual import bilingual
from ita.models import AgencyType
from ita.orgnames import organisation_key
from ita.results import (
    Catalogue,
    IndicatorValue,
    ItemValue,
    ResultSet,
    question_error,
    validate,
)
from ita.sheets import vocabulary
from ita.sheets.cells import (
    COLUMNS,
    FIRST_DATA_ROW,
    KINDS,
    META_KINDS,
    REQUIRED_COLUMNS,
    REQUIRED_META,
    USES,
    FormulaCell,
    ParsedSheet,
    RowError,
    SheetMeta,
    Table,
    agency_type_code,
    agency_type_label,
    blank,
    cell_code,
    cell_text,
    fiscal_year_number,
    item_status_code,
    parse_score,
    result_code,
    whole_number,
)


def header_errors(headers: Sequence[str], rows: Sequence[Sequence[Any]] = ()) -> list[str]:
    errors = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        name = vocabulary.column_name(header) if header.strip() else ""
        if not header.strip():
            if any(index < len(r) and not blank(r[index]) for r in rows):
                errors.append(
                    bilingual(
                        gettext_noop(
                            "A column without a heading holds values (column %(column)s)."
                        ),
                        column=index + 1,
                    )
                )
        elif name is None:
            errors.append(
                bilingual(
                    gettext_noop(
                        "Unknown column “%(column)s” (cell %(cell)s): the columns are %(columns)s."
                    ),
                    column=header,
                    cell=f"{column_letter(index + 1)}1",
                    columns=vocabulary.accepted(vocabulary.COLUMN_ALIASES),
                )
            )
            continue
        elif name in seen:
            errors.append(bilingual(gettext_noop("Column %(column)s appears twice."), column=name))
        seen.add(name)
    errors += [
        bilingual(gettext_noop("Column %(column)s is missing."), column=column)
        for column in REQUIRED_COLUMNS
        if column not in seen
    ]
    return errors


def parse_table(
    table: Table,
    *,
    years: Collection[int],
    catalogue_for: Callable[[int], Catalogue | None],
) -> ParsedSheet:
    """Check the table's columns, then parse its rows (see `parse_rows`)."""
    problems = header_errors(table.headers, table.rows)
    if problems:
        return ParsedSheet(
            title=table.title,
            meta=None,
            results=ResultSet(),
            errors=[RowError(1, message, table.title) for message in problems],
        )
    names = [vocabulary.column_name(h) or "" if h.strip() else "" for h in table.headers]
    rows = [{n: v for n, v in zip(names, row, strict=True) if n} for row in table.rows]
    cells = {n: f"{column_letter(i + 1)} ({table.headers[i]})" for i, n in enumerate(names) if n}
    return parse_rows(
        rows, years=years, catalogue_for=catalogue_for, title=table.title, cells=cells
    )


def column_letter(number: int) -> str:
    """Excel's letters for a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class _Parser:
    years: Collection[int]
    catalogue_for: Callable[[int], Catalogue | None]
    title: str
    cells: Mapping[str, str] = field(default_factory=dict)  # column -> "E (คะแนน)"
    errors: list[RowError] = field(default_factory=list)
    results: ResultSet = field(default_factory=ResultSet)
    seen: dict[tuple[str, ...], int] = field(default_factory=dict)

    def cell(self, row: int | None, column: str) -> str:
        """The cell as the user finds it: "E12 (คะแนน)" (letter, row, their header)."""
        where = self.cells.get(column)
        if not where or row is None:
            return ""
        letter, _space, header = where.partition(" ")
        return f"{letter}{row} {header}"

    def error(self, row: int | None, message: str, /, at: str = "", **params: object) -> None:
        """A row's error; `at` names the column whose cell holds what was refused."""
        self.errors.append(
            RowError(row, bilingual(message, **params), self.title, self.cell(row, at))
        )

    def first(self, key: tuple[str, ...], number: int, what: str) -> bool:
        """Whether this is the first row with this key (a duplicate is an error)."""
        if key in self.seen:
            self.error(
                number,
                gettext_noop("Duplicate row: %(what)s is already given in row %(row)s."),
                what=what,
                row=self.seen[key],
            )
            return False
        self.seen[key] = number
        return True

    def score(self, number: int, row: Mapping[str, Any]) -> Decimal | None:
        value, message = parse_score(row.get("score"))
        if message:
            self.errors.append(RowError(number, message, self.title, self.cell(number, "score")))
        return value

    def other_year(self, year: int, code: str, kind: str) -> int | None:
        for other in sorted(self.years, reverse=True):
            catalogue = self.catalogue_for(other) if other != year else None
            if catalogue and code in (
                catalogue.questions if kind == "question" else catalogue.items
            ):
                return other
        return None


def parse_rows(
    rows: Sequence[Mapping[str, Any]],
    *,
    years: Collection[int],
    catalogue_for: Callable[[int], Catalogue | None],
    title: str = "",
    first_row: int = FIRST_DATA_ROW,
    cells: Mapping[str, str] | None = None,
) -> ParsedSheet:
    """Rows (column name -> cell) into meta and a ResultSet, with every row's errors.

    `years` are the fiscal years that have a framework and `catalogue_for(year)` gives one
    year's codes. Blank rows and rows with only a label are skipped. `cells` names each
    column's letter and header for error messages ("score" -> "E (คะแนน)").
    """
    parser = _Parser(years=years, catalogue_for=catalogue_for, title=title, cells=cells or {})
    meta_rows: dict[str, tuple[int, str]] = {}
    result_rows: list[tuple[int, str, Mapping[str, Any]]] = []
    count = 0
    for number, row in enumerate(rows, start=first_row):
        values = {c: v for c, v in row.items() if c != "label" and not blank(v)}
        if not values:
            continue
        count += 1
        formulas = [c for c, v in values.items() if isinstance(v, FormulaCell)]
        for column in formulas:
            parser.error(
                number,
                gettext_noop("Column %(column)s holds a formula (%(formula)s): type the value."),
                at=column,
                column=column,
                formula=row[column],
            )
        if formulas:
            continue
        written_kind = values.pop("kind", "")
        kind = vocabulary.kind_name(written_kind) or ""
        if blank(written_kind):
            parser.error(
                number,
                gettext_noop("The kind column is empty: say what the row holds (%(kinds)s)."),
                at="kind",
                kinds=vocabulary.accepted(vocabulary.KIND_ALIASES),
            )
            continue
        if kind not in KINDS:
            parser.error(
                number,
                gettext_noop("Unknown kind “%(kind)s”: use one of %(kinds)s."),
                at="kind",
                kind=cell_text(row.get("kind")).strip(),
                kinds=vocabulary.accepted(vocabulary.KIND_ALIASES),
            )
            continue
        unused = [c for c in COLUMNS if c in values and c not in USES[kind]]
        for column in unused:
            parser.error(
                number,
                gettext_noop("Column %(column)s is not used in %(kind)s rows: leave it empty."),
                at=column,
                column=column,
                kind=kind,
            )
        if unused:
            continue
        if kind in META_KINDS:
            if parser.first((kind,), number, kind):
                meta_rows[kind] = (number, cell_text(row.get("text")))
        else:
            result_rows.append((number, kind, row))

    meta, catalogue = _parse_meta(parser, meta_rows)
    for number, kind, row in result_rows:
        _parse_result_row(parser, number, kind, row, catalogue)
    if catalogue is not None and not parser.errors:
        # Every rule is checked row by row above; this catches a rule added to
        # ita.results later without a row-level check here.
        parser.errors += [RowError(None, m, title) for m in validate(parser.results, catalogue)]
    errors = sorted(parser.errors, key=lambda e: (e.row is not None, e.row or 0))
    return ParsedSheet(
        title=title, meta=meta, results=parser.results, errors=errors, row_count=count
    )


def _parse_meta(
    parser: _Parser, meta_rows: Mapping[str, tuple[int, str]]
) -> tuple[SheetMeta | None, Catalogue | None]:
    for kind in REQUIRED_META:
        if kind not in meta_rows:
            parser.error(None, gettext_noop("The sheet has no %(kind)s row."), kind=kind)
        elif not meta_rows[kind][1].strip():
            parser.error(
                meta_rows[kind][0],
                gettext_noop("The %(kind)s row is empty: it is required."),
                at="text",
                kind=kind,
            )
    year: int | None = None
    catalogue: Catalogue | None = None
    if meta_rows.get("fiscal_year", (0, ""))[1].strip():
        number, text = meta_rows["fiscal_year"]
        year = fiscal_year_number(text)
        if year is None:
            parser.error(
                number,
                gettext_noop(
                    "The fiscal year “%(value)s” is not a whole number: write the Buddhist-era "
                    "year, such as 2568, ๒๕๖๘ or พ.ศ. 2568."
                ),
                at="text",
                value=text.strip(),
            )
        elif year < 2400:
            parser.error(
                number,
                gettext_noop(
                    "%(year)s looks like a Gregorian (A.D.) year: use the Buddhist year %(be)s."
                ),
                at="text",
                year=year,
                be=year + 543,
            )
        elif year not in parser.years or (catalogue := parser.catalogue_for(year)) is None:
            parser.error(
                number,
                gettext_noop(
                    "There is no ITA framework for fiscal year %(year)s (known years: %(years)s)."
                ),
                at="text",
                year=year,
                years=", ".join(str(y) for y in sorted(parser.years)),
            )
    agency_type = ""
    if meta_rows.get("agency_type", (0, ""))[1].strip():
        number, text = meta_rows["agency_type"]
        agency_type = agency_type_code(text) or ""
        if not agency_type:
            parser.error(
                number,
                gettext_noop("Unknown agency type “%(value)s”: use one of %(choices)s."),
                at="text",
                value=text.strip(),
                choices=", ".join(
                    f"{code} ({agency_type_label(code)})" for code in AgencyType.values
                ),
            )

    def text(kind: str) -> str:
        return meta_rows.get(kind, (0, ""))[1].strip()

    if catalogue is None or not (text("organisation") and text("province") and agency_type):
        return None, catalogue
    assert year is not None
    note = meta_rows["note"][1] if "note" in meta_rows else None
    return (
        SheetMeta(
            fiscal_year=year,
            organisation=text("organisation"),
            province=text("province"),
            district=text("district"),
            agency_type=agency_type,
            note=None if note is None else note.strip() and note,
        ),
        catalogue,
    )


def _parse_result_row(
    parser: _Parser,
    number: int,
    kind: str,
    row: Mapping[str, Any],
    catalogue: Catalogue | None,
) -> None:
    results = parser.results
    year = catalogue.fiscal_year if catalogue else None
    if kind == "overall":
        if parser.first((kind,), number, kind):
            results.overall = parser.score(number, row)
        return
    if kind == "level":
        if parser.first((kind,), number, kind):
            results.level = cell_text(row.get("text")).strip()
        return

    code = cell_code(row.get("code"))
    if not code:
        parser.error(number, gettext_noop("A %(kind)s row needs a code."), at="code", kind=kind)
        return
    if kind == "tool":
        code = code.upper()
        if catalogue and code not in catalogue.tools:
            parser.error(
                number,
                gettext_noop("There is no tool %(code)s in %(year)s: use one of %(tools)s."),
                at="code",
                code=code,
                year=year,
                tools=", ".join(sorted(catalogue.tools)),
            )
        score = parser.score(number, row)
        if parser.first((kind, code), number, f"tool {code}") and score is not None:
            results.tools[code] = score
    elif kind == "indicator":
        indicator = whole_number(row.get("code"))
        if indicator is None:
            parser.error(
                number,
                gettext_noop("Indicator code “%(code)s” is not a whole number."),
                at="code",
                code=code,
            )
            return
        if catalogue and indicator not in catalogue.indicators:
            parser.error(
                number,
                gettext_noop("There is no indicator %(number)s in %(year)s."),
                at="code",
                number=indicator,
                year=year,
            )
        score = parser.score(number, row)
        analysis = cell_text(row.get("text"))
        fresh = parser.first((kind, str(indicator)), number, f"indicator {indicator}")
        if fresh and (score is not None or analysis.strip()):
            results.indicators[indicator] = IndicatorValue(score, analysis.strip() and analysis)
    elif kind == "question":
        code = result_code(code, kind)
        written_channel = cell_text(row.get("channel")).strip()
        channel = vocabulary.channel_code(written_channel) if written_channel else None
        if catalogue and _check_code(parser, number, kind, code, catalogue):
            channels = catalogue.questions[code]
            if channel and channels and channel not in channels:
                parser.error(
                    number,
                    gettext_noop(
                        "Question %(code)s: unknown channel “%(channel)s”: use one of %(channels)s."
                    ),
                    at="channel",
                    code=code,
                    channel=written_channel,
                    channels=", ".join(
                        f"{c}/{vocabulary.THAI_CHANNELS[c]}" if c in vocabulary.THAI_CHANNELS else c
                        for c in sorted(channels)
                    ),
                )
            else:
                _add_error(parser, number, question_error(catalogue, code, channel), "channel")
        score = parser.score(number, row)
        what = f"question {code}" + (f" ({channel})" if channel else "")
        if parser.first((kind, code, channel or ""), number, what) and score is not None:
            results.questions[(code, channel)] = score
    else:  # item
        code = result_code(code, kind)
        if catalogue:
            _check_code(parser, number, kind, code, catalogue)
        raw_status = cell_text(row.get("status")).strip()
        status = item_status_code(raw_status) if raw_status else ""
        if status is None:
            parser.error(
                number,
                gettext_noop("Item %(code)s: unknown result “%(status)s”: use one of %(choices)s."),
                at="status",
                code=code,
                status=raw_status,
                choices=vocabulary.accepted(vocabulary.ITEM_STATUS_ALIASES),
            )
        score = parser.score(number, row)
        reason = cell_text(row.get("text"))
        fresh = parser.first((kind, code), number, f"item {code}")
        if fresh and (score is not None or status or reason.strip()):
            results.items[code] = ItemValue(score, status or "", reason.strip() and reason)


def _check_code(parser: _Parser, number: int, kind: str, code: str, catalogue: Catalogue) -> bool:
    """Whether a question or item code is in the sheet's year; if not, say where it is."""
    known = catalogue.questions if kind == "question" else catalogue.items
    if code in known:
        return True
    other = parser.other_year(catalogue.fiscal_year, code, kind)
    if other is not None:
        message = (
            gettext_noop(
                "Question %(code)s belongs to the %(other)s framework, not %(year)s: "
                "check the fiscal_year row."
            )
            if kind == "question"
            else gettext_noop(
                "OIT item %(code)s belongs to the %(other)s framework, not %(year)s: "
                "check the fiscal_year row."
            )
        )
        parser.error(number, message, at="code", code=code, other=other, year=catalogue.fiscal_year)
    elif kind == "question":
        _add_error(parser, number, question_error(catalogue, code, None), "code")
    else:
        parser.error(
            number,
            gettext_noop("There is no OIT item %(code)s in %(year)s."),
            at="code",
            code=code,
            year=catalogue.fiscal_year,
        )
    return False


def _add_error(parser: _Parser, number: int, message: str | None, at: str = "") -> None:
    if message:
        parser.errors.append(RowError(number, message, parser.title, parser.cell(number, at)))


def cross_sheet_errors(sheets: Sequence[ParsedSheet]) -> list[RowError]:
    """The same organisation and year in two sheets of one file is refused."""
    errors = []
    first: dict[tuple[str, str, int], str] = {}
    for sheet in sheets:
        if sheet.meta is None:
            continue
        m = sheet.meta
        key = (*organisation_key(m.organisation, m.province), m.fiscal_year)
        if key in first:
            errors.append(
                RowError(
                    None,
                    bilingual(
                        gettext_noop(
                            "%(organisation)s %(year)s is also in sheet “%(sheet)s”: "
                            "one assessment per sheet."
                        ),
                        organisation=m.organisation,
                        year=m.fiscal_year,
                        sheet=first[key],
                    ),
                    sheet.title,
                )
            )
        else:
            first[key] = sheet.title
    return errors
