"""One spelling for organisation, district and province names, so that the same
office written two ways ("อบต.คลองหินปูน", "องค์การบริหารส่วนตำบล คลองหินปูน") is one name.

The stored spelling (`normalise_*`) is what the import saves and what migration
``ita 0012_normalise_organisation_names`` writes over older rows; `organisation_key` is what
two spellings of one office share, the import's match key. `closest_names` offers the
nearest existing names when nothing matches.

Pure: no database, no translation catalogue (domain data must not depend on the UI).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

# Short forms in Thai agency lists -> the official type name they stand for. Each short
# form is also read without its dot and with a space after it ("อบต คลองหินปูน").
ORGANISATION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("ทน.", "เทศบาลนคร"),
    ("ทม.", "เทศบาลเมือง"),
    ("ทต.", "เทศบาลตำบล"),
)
PROVINCE_PREFIXES = ("จังหวัด", "จ.")
DISTRICT_PREFIXES = ("อำเภอ", "อ.")
# "องค์การบริหารส่วนตำบลคลองหินปูน อำเภอวังน้ำเย็น จังหวัดสระแก้ว": the place after the
# name (as letters and the NACC's lists write it) is not part of the name.
_PLACE_SUFFIX_RE = re.compile(r"\s+(อำเภอ|อ\.|จังหวัด|จ\.)\s*\S.*$")
_SPACES_RE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _clean(text: str) -> str:
    """NFC, no zero-width characters, one space between words, none at the ends."""
    text = unicodedata.normalize("NFC", text or "").translate(_INVISIBLE)
    return _SPACES_RE.sub(" ", text).strip()


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :].strip()
    return text


def _expand_short_form(name: str) -> str:
    for short, full in ORGANISATION_PREFIXES:
        bare = short.rstrip(".")
        if name.startswith(short):
            return full + name[len(short) :].strip()
        if name.startswith(bare + " "):
            return full + name[len(bare) :].strip()
    return name


def normalise_organisation_name(text: str) -> str:
    """The stored spelling: the full type name, then the place, with no space between
    (as the official lists write "องค์การบริหารส่วนตำบลคลองหินปูน")."""
    name = _PLACE_SUFFIX_RE.sub("", _clean(text))
    name = _expand_short_form(name)
    for _short, full in ORGANISATION_PREFIXES:
        if name.startswith(full):
            return full + name[len(full) :].strip()
    return name


def normalise_province(text: str) -> str:
    return _strip_prefix(_clean(text), PROVINCE_PREFIXES)


def normalise_district(text: str) -> str:
    return _strip_prefix(_clean(text), DISTRICT_PREFIXES)


# Kept: every import file asks it for each stored organisation of its provinces (the
# whole country's 8,000 for a national file), the same names each time.
@functools.lru_cache(maxsize=32768)
def organisation_key(name: str, province: str) -> tuple[str, str]:
    """What two spellings of one organisation share: the match key for imports."""
    return normalise_organisation_name(name).casefold(), normalise_province(province).casefold()


def province_spellings(province: str) -> set[str]:
    """The ways a stored province may be written in rows not yet normalised, for a lookup."""
    province = normalise_province(province)
    spellings = {province}
    for prefix in PROVINCE_PREFIXES:
        spellings |= {prefix + province, f"{prefix} {province}"}
    return spellings


def closest_names(name: str, candidates: Iterable[str], *, limit: int = 3) -> list[str]:
    """The existing names nearest to `name` (compared in their stored spelling), best
    first; names that are not close at all are left out."""
    by_form: dict[str, str] = {}
    for candidate in candidates:
        by_form.setdefault(normalise_organisation_name(candidate), candidate)
    wanted = normalise_organisation_name(name)
    matches = difflib.get_close_matches(wanted, list(by_form), n=limit, cutoff=0.6)
    return [by_form[m] for m in matches]
