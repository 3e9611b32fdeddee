"""Results sheets written the way Thai offices write them, each of which must be accepted
with exactly the published values of อบต.คลองหินปูน 2568 (`khp_results`), for the
organisation already stored as "องค์การบริหารส่วนตำบลคลองหินปูน" in "สระแก้ว".

Each case starts from the good sheet (`good_rows`) and changes what real files change:
Thai headers and keys, separators, encodings, digits, years, per cent signs, decimal
commas, code spellings, channel names, result words and the organisation's spelling.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ita.sheets.cells import COLUMNS
from ita.sheets.vocabulary import THAI_CHANNELS, THAI_COLUMNS, THAI_KINDS
from tests.badinput.corpus import _xlsx, good_rows

Rows = list[dict]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@dataclass(frozen=True)
class Accepted:
    id: str
    name: str
    build: Callable[[], bytes]
    # How the import must report the file (part of the preview's source note), if a CSV.
    source: str = ""


def _write_csv(
    rows: Rows,
    *,
    headers: list[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers or list(COLUMNS))
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in COLUMNS])
    return buffer.getvalue().encode(encoding)


def _write_xlsx(rows: Rows, headers: list[str] | None = None) -> bytes:
    table = [headers or list(COLUMNS)]
    table += [[row.get(c) for c in COLUMNS] for row in rows]
    return _xlsx(table)


def _scores(rows: Rows, write: Callable[[Decimal], object]) -> Rows:
    return [
        {**r, "score": write(r["score"])} if isinstance(r.get("score"), Decimal) else r
        for r in rows
    ]


def _thai_keys(rows: Rows) -> Rows:
    return [
        {
            **r,
            "kind": THAI_KINDS[r["kind"]],
            "channel": THAI_CHANNELS.get(r.get("channel") or "", r.get("channel")),
        }
        for r in rows
    ]


def _meta(rows: Rows, kind: str, value: object) -> Rows:
    return [{**r, "text": value} if r["kind"] == kind else r for r in rows]


def _codes(rows: Rows, kind: str, write: Callable[[str], str]) -> Rows:
    return [{**r, "code": write(str(r["code"]))} if r["kind"] == kind else r for r in rows]


def _channels(rows: Rows, names: dict[str, str]) -> Rows:
    return [{**r, "channel": names.get(r.get("channel") or "", r.get("channel"))} for r in rows]


def _statuses(rows: Rows, names: dict[str, str]) -> Rows:
    return [{**r, "status": names.get(r.get("status") or "", r.get("status"))} for r in rows]


THAI_HEADERS = [THAI_COLUMNS[c] for c in COLUMNS]
BILINGUAL_HEADERS = [f"{THAI_COLUMNS[c]} ({c})" for c in COLUMNS]


def _decimal_comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


ACCEPTED = [
    Accepted("english-csv", "khp.csv", lambda: _write_csv(good_rows()), "UTF-8 with BOM"),
    Accepted(
        "utf8-without-bom",
        "khp.csv",
        lambda: _write_csv(good_rows(), encoding="utf-8"),
        "UTF-8 without BOM",
    ),
    Accepted(
        "cp874-csv",
        "khp.csv",
        lambda: _write_csv(good_rows(), encoding="cp874"),
        "TIS-620/CP874",
    ),
    Accepted(
        "semicolon-decimal-comma",
        "khp.csv",
        lambda: _write_csv(_scores(good_rows(), _decimal_comma), delimiter=";"),
        "semicolons",
    ),
    Accepted("tab-separated", "khp.csv", lambda: _write_csv(good_rows(), delimiter="\t"), "tabs"),
    Accepted(
        "thai-headers-and-keys-csv",
        "khp.csv",
        lambda: _write_csv(_thai_keys(good_rows()), headers=THAI_HEADERS),
        "commas",
    ),
    Accepted(
        "thai-headers-and-keys-xlsx",
        "khp.xlsx",
        lambda: _write_xlsx(_thai_keys(good_rows()), THAI_HEADERS),
    ),
    Accepted(
        "bilingual-headers-xlsx", "khp.xlsx", lambda: _write_xlsx(good_rows(), BILINGUAL_HEADERS)
    ),
    Accepted(
        "capitalised-headers-and-kinds",
        "khp.csv",
        lambda: _write_csv(
            [{**r, "kind": r["kind"].upper()} for r in good_rows()],
            headers=[c.capitalize() for c in COLUMNS],
        ),
    ),
    Accepted(
        "thai-digit-scores",
        "khp.csv",
        lambda: _write_csv(_scores(good_rows(), lambda v: f"{v:.2f}".translate(THAI_DIGITS))),
    ),
    Accepted(
        "percent-scores-xlsx",
        "khp.xlsx",
        lambda: _write_xlsx(_scores(good_rows(), lambda v: f"{v:.2f}%")),
    ),
    Accepted(
        "buddhist-era-year",
        "khp.csv",
        lambda: _write_csv(_meta(good_rows(), "fiscal_year", "พ.ศ. ๒๕๖๘")),
    ),
    Accepted(
        "fiscal-year-words",
        "khp.xlsx",
        lambda: _write_xlsx(_meta(good_rows(), "fiscal_year", "ปีงบประมาณ พ.ศ. 2568")),
    ),
    Accepted(
        "question-codes-with-kho",
        "khp.csv",
        lambda: _write_csv(
            _codes(good_rows(), "question", lambda c: f"ข้อ {c}".translate(THAI_DIGITS))
        ),
    ),
    Accepted(
        "question-codes-capitals-zeros",
        "khp.csv",
        lambda: _write_csv(_codes(good_rows(), "question", lambda c: f"{c[0].upper()}0{c[1:]}")),
    ),
    Accepted(
        "item-codes-thai-digits",
        "khp.csv",
        lambda: _write_csv(
            _codes(good_rows(), "item", lambda c: c[1:].zfill(3).translate(THAI_DIGITS))
        ),
    ),
    Accepted(
        "item-codes-capital-o",
        "khp.xlsx",
        lambda: _write_xlsx(_codes(good_rows(), "item", lambda c: "O0" + c[1:])),
    ),
    Accepted(
        "channel-app-labels",
        "khp.csv",
        lambda: _write_csv(_channels(good_rows(), {"public": "EitPublic", "survey": "EitSurvey"})),
    ),
    Accepted(
        "channel-thai-names",
        "khp.csv",
        lambda: _write_csv(
            _channels(
                good_rows(),
                {"public": "ช่องทางออนไลน์ (EitPublic)", "survey": "การสำรวจกลุ่มตัวอย่าง"},
            )
        ),
    ),
    Accepted(
        "item-results-in-thai",
        "khp.csv",
        lambda: _write_csv(
            _statuses(good_rows(), {"pass": "ผ่าน", "partial": "ผ่านบางส่วน", "fail": "ไม่ผ่าน"})
        ),
    ),
    Accepted(
        "short-name-and-province-prefix",
        "khp.csv",
        lambda: _write_csv(
            _meta(
                _meta(
                    _meta(good_rows(), "organisation", "อบต.คลองหินปูน"),
                    "province",
                    "จังหวัดสระแก้ว",
                ),
                "district",
                "อำเภอวังน้ำเย็น",
            )
        ),
    ),
    Accepted(
        "spaced-full-name-short-type",
        "khp.xlsx",
        lambda: _write_xlsx(
            _meta(
                _meta(
                    _meta(good_rows(), "organisation", "องค์การบริหารส่วนตำบล  คลองหินปูน "),
                    "province",
                    "จ. สระแก้ว",
                ),
                "agency_type",
                "อบต",
            )
        ),
    ),
    Accepted(
        "name-with-place-suffix",
        "khp.csv",
        lambda: _write_csv(
            _meta(
                good_rows(),
                "organisation",
                "อบต. คลองหินปูน อำเภอวังน้ำเย็น จังหวัดสระแก้ว",
            )
        ),
    ),
    Accepted(
        "everything-at-once-cp874",
        "khp.csv",
        lambda: _write_csv(
            _scores(
                _meta(
                    _meta(_thai_keys(good_rows()), "organisation", "อบต.คลองหินปูน"),
                    "fiscal_year",
                    "พ.ศ. 2568",
                ),
                lambda v: _decimal_comma(v).translate(THAI_DIGITS),
            ),
            headers=THAI_HEADERS,
            delimiter=";",
            encoding="cp874",
        ),
        "TIS-620/CP874",
    ),
]
