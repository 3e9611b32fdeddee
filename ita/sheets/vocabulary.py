"""What people write in a results sheet, as data: the column headers, the row kinds, the
score channels, the OIT item results and the agency types, each in English and Thai with
the aliases seen in real office files (see docs/spreadsheet-layout.md, "Accepted
spellings").

Everything here is plain data read by `ita.sheets.cells` and `ita.sheets.parse`; nothing
goes through the UI translation catalogue, so a checkout without compiled ``.mo`` files
reads Thai sheets just the same. Keys are compared after `spelling_key` (case, spaces,
Thai digits and a trailing dot do not count).

Pure: no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from ita.enums import AgencyType, ItemStatus

THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SPACES_RE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# Each sheet column (English name first, as exports write it) and what else people call it.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kind": ("ประเภท", "ชนิด", "ประเภทแถว", "type"),
    "code": ("รหัส", "ข้อ", "เลขที่"),
    "channel": ("ช่องทาง",),
    "label": ("รายการ", "คำอธิบาย", "ชื่อ", "ชื่อรายการ", "name"),
    "score": ("คะแนน", "ค่าคะแนน", "ร้อยละ"),
    "status": ("ผล", "ผลการประเมิน", "สถานะ", "result"),
    "text": ("ข้อความ", "ค่า", "รายละเอียด", "value"),
}
# The Thai header of each column, as the Thai template writes it.
THAI_COLUMNS: dict[str, str] = {column: aliases[0] for column, aliases in COLUMN_ALIASES.items()}

# Row kinds: the English key first (exports), then Thai names; the first Thai name is the
# Thai template's.
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "fiscal_year": ("ปีงบประมาณ", "ปี", "ปีงบประมาณ พ.ศ.", "year", "fiscal year"),
    "organisation": ("หน่วยงาน", "ชื่อหน่วยงาน", "ชื่อ อปท.", "อปท.", "organization"),
    "district": ("อำเภอ",),
    "province": ("จังหวัด",),
    "agency_type": ("ประเภทหน่วยงาน", "ประเภท อปท.", "ประเภทองค์กรปกครองส่วนท้องถิ่น", "agency type"),
    "note": ("หมายเหตุ",),
    "overall": ("คะแนนรวม", "คะแนนภาพรวม", "ภาพรวม", "overall score"),
    "level": ("ระดับ", "ระดับผลการประเมิน", "ผลการประเมิน"),
    "tool": ("เครื่องมือ",),
    "indicator": ("ตัวชี้วัด",),
    "question": ("ข้อคำถาม", "คำถาม"),
    "item": ("ข้อ OIT", "รายการ OIT", "OIT item"),
}
THAI_KINDS: dict[str, str] = {kind: aliases[0] for kind, aliases in KIND_ALIASES.items()}

# Score channels by their code in the frameworks shipped as data (ita migrations 0002,
# 0009); the app's own labels ("ช่องทางออนไลน์ (EitPublic)") are among the aliases.
CHANNEL_ALIASES: dict[str, tuple[str, ...]] = {
    "public": (
        "ช่องทางออนไลน์",
        "ช่องทางออนไลน์ (eitpublic)",
        "ออนไลน์",
        "eitpublic",
        "eit public",
        "online",
        "open online channel",
        "open online channel (eitpublic)",
    ),
    "survey": (
        "การสำรวจกลุ่มตัวอย่าง",
        "การสำรวจกลุ่มตัวอย่าง (eitsurvey)",
        "สำรวจกลุ่มตัวอย่าง",
        "กลุ่มตัวอย่าง",
        "สำรวจ",
        "eitsurvey",
        "eit survey",
        "sample survey",
        "sample survey (eitsurvey)",
    ),
}
THAI_CHANNELS: dict[str, str] = {code: aliases[0] for code, aliases in CHANNEL_ALIASES.items()}

ITEM_STATUS_ALIASES: dict[str, tuple[str, ...]] = {
    ItemStatus.PASS: ("ผ่าน", "passed", "yes", "มี", "✓"),
    ItemStatus.PARTIAL: ("ผ่านบางส่วน", "บางส่วน", "partly"),
    ItemStatus.FAIL: ("ไม่ผ่าน", "failed", "no", "ไม่มี", "✗"),
}

# Agency types: the official Thai name first (written to sheets), then short forms and the
# English names the interface shows.
AGENCY_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    AgencyType.PAO: (
        "องค์การบริหารส่วนจังหวัด",
        "อบจ.",
        "provincial administrative organisation",
        "provincial administrative organization",
    ),
    AgencyType.CITY_MUNICIPALITY: ("เทศบาลนคร", "ทน.", "city municipality"),
    AgencyType.TOWN_MUNICIPALITY: ("เทศบาลเมือง", "ทม.", "town municipality"),
    AgencyType.SUBDISTRICT_MUNICIPALITY: (
        "เทศบาลตำบล",
        "ทต.",
        "subdistrict municipality",
        "sub-district municipality",
    ),
    AgencyType.SAO: (
        "องค์การบริหารส่วนตำบล",
        "อบต.",
        "subdistrict administrative organisation",
        "subdistrict administrative organization",
        "sub-district administrative organisation",
    ),
    AgencyType.SPECIAL: (
        "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ",
        "อปท.รูปแบบพิเศษ",
        "อปท. รูปแบบพิเศษ",
        "รูปแบบพิเศษ",
        "special local government",
    ),
}
AGENCY_TYPE_THAI: dict[str, str] = {
    code: aliases[0] for code, aliases in AGENCY_TYPE_ALIASES.items()
}


def spelling_key(text: object) -> str:
    """A written key as compared: NFC, no invisible characters, Thai digits as Arabic, one
    space between words, case folded, no trailing dot ("อบต" = "อบต.")."""
    text = unicodedata.normalize("NFC", str(text or "")).translate(_INVISIBLE)
    text = _SPACES_RE.sub(" ", text.translate(THAI_TO_ARABIC)).strip().casefold()
    return text.rstrip(".").strip()


def _lookup(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, aliases in table.items():
        for alias in (key, *aliases):
            found[spelling_key(alias)] = str(key)
            found[spelling_key(alias.replace("_", " "))] = str(key)
    return found


COLUMN_LOOKUP = _lookup(COLUMN_ALIASES)
KIND_LOOKUP = _lookup(KIND_ALIASES)
CHANNEL_LOOKUP = _lookup(CHANNEL_ALIASES)
ITEM_STATUS_LOOKUP = _lookup(ITEM_STATUS_ALIASES)
AGENCY_TYPE_LOOKUP = _lookup(AGENCY_TYPE_ALIASES)


def _header_parts(text: str) -> list[str]:
    """ "คะแนน (score)" and "score / คะแนน" are read by either half."""
    key = spelling_key(text)
    parts = [key]
    if match := re.fullmatch(r"(.+?)\s*\((.+)\)", key):
        parts += [match.group(1), match.group(2)]
    parts += [p.strip() for p in re.split(r"\s*/\s*", key) if p.strip()]
    return parts


def column_name(header: str) -> str | None:
    """The sheet column a header names, in English or Thai; None when it names none."""
    return next((COLUMN_LOOKUP[p] for p in _header_parts(header) if p in COLUMN_LOOKUP), None)


def kind_name(text: object) -> str | None:
    return KIND_LOOKUP.get(spelling_key(text))


def channel_code(text: object) -> str:
    """A channel as its code ("EitPublic", "ช่องทางออนไลน์" -> "public"); an unknown one is
    returned in compared form, for the catalogue check to refuse by name."""
    key = spelling_key(text)
    return CHANNEL_LOOKUP.get(key, key)


def item_status(text: object) -> str | None:
    return ITEM_STATUS_LOOKUP.get(spelling_key(text))


def agency_type(text: object) -> str | None:
    return AGENCY_TYPE_LOOKUP.get(spelling_key(text))


def thai_headers(columns: Iterable[str]) -> list[str]:
    return [THAI_COLUMNS.get(c, c) for c in columns]


def thai_rows(rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """Sheet rows with Thai keys for the kind and channel, as the Thai template writes
    them (the reader takes either)."""
    return [
        {
            **row,
            "kind": THAI_KINDS.get(str(row.get("kind", "")), row.get("kind", "")),
            "channel": THAI_CHANNELS.get(str(row.get("channel", "")), row.get("channel", "")),
        }
        for row in rows
    ]


def accepted(table: Mapping[str, Iterable[str]]) -> str:
    """The keys with their first Thai name, for "use one of …" in a refusal."""
    return ", ".join(f"{key}/{next(iter(aliases))}" for key, aliases in table.items())
