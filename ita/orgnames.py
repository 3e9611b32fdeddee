"""One spelling for organisation, district and province names, so that the same
office written two ways ("อบต.คลองหินปูน", "องค์การบริหารส่วนตำบล คลองหินปูน") is one name.

Pure: no database, no translation catalogue (domain data must not depend on the UI).
"""

from __future__ import annotations

import re
import unicodedata

# Short forms in Thai agency lists -> the official type name they stand for.
# Longest first so "ทน." is not read as part of another prefix.
ORGANISATION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("ทน.", "เทศบาลนคร"),
    ("ทม.", "เทศบาลเมือง"),
    ("ทต.", "เทศบาลตำบล"),
)
PROVINCE_PREFIXES = ("จังหวัด", "จ.")
DISTRICT_PREFIXES = ("อำเภอ", "อ.")
_SPACES_RE = re.compile(r"\s+")


def _clean(text: str) -> str:
    """NFC, no zero-width characters, one space between words, none at the ends."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return _SPACES_RE.sub(" ", text).strip()


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :].strip()
    return text


def normalise_organisation_name(text: str) -> str:
    """The stored spelling: the full type name, then the place, with no space between
    (as the official lists write "องค์การบริหารส่วนตำบลคลองหินปูน")."""
    name = _clean(text)
    for short, full in ORGANISATION_PREFIXES:
        if name.startswith(short):
            name = full + name[len(short) :].strip()
            break
    for _short, full in ORGANISATION_PREFIXES:
        if name.startswith(full):
            return full + name[len(full) :].strip()
    return name


def normalise_province(text: str) -> str:
    return _strip_prefix(_clean(text), PROVINCE_PREFIXES)


def normalise_district(text: str) -> str:
    return _strip_prefix(_clean(text), DISTRICT_PREFIXES)


def organisation_key(name: str, province: str) -> tuple[str, str]:
    """What two spellings of one organisation share: the match key for imports."""
    return normalise_organisation_name(name).casefold(), normalise_province(province).casefold()
