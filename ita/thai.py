"""The locale helpers of every app: Thai and Arabic digits, the Buddhist-era calendar and
names in the interface language (pure functions; `local_name` reads the active language).

Django's Thai locale prints Gregorian years; official Thai documents use Buddhist-era years
(B.E. = C.E. + 543) and often Thai digits. Messages shown in both languages are built by
``ita.bilingual``; the ``thai`` template filters wrap these functions.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone, translation

BE_OFFSET = 543
MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(text: object) -> str:
    """Replace Arabic digits with Thai digits in any text (other characters untouched)."""
    return str(text).translate(_THAI_DIGITS)


def arabic_digits(text: object) -> str:
    """Thai digits back to Arabic (saved analyses often carry Thai digits)."""
    return str(text).translate(_ARABIC_DIGITS)


def as_digits(text: object, *, thai: bool) -> str:
    """Every digit of a text in one system, whichever the text was written with."""
    return thai_digits(text) if thai else arabic_digits(text)


def local_name(name_th: str, name_en: str = "") -> str:
    """The English name when the interface is English and one is known, else the Thai."""
    if name_en and (translation.get_language() or "").startswith("en"):
        return name_en
    return name_th


def digits(text: object, *, thai: bool) -> str:
    return thai_digits(text) if thai else str(text)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def fiscal_year_of(day: date) -> int:
    """Thai government fiscal year (B.E.) of a date: FY 2569 runs 1 Oct 2025 – 30 Sep 2026."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def format_date(day: date | datetime, *, short: bool = False, thai: bool = False) -> str:
    """27 พฤศจิกายน 2569 (or 27 พ.ย. 2569; Thai digits on request).

    An aware datetime is printed as its local (Asia/Bangkok) day: stored in UTC, an approval
    at 06:00 Bangkok time is still the previous day in UTC.
    """
    if isinstance(day, datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    months = MONTHS_TH_SHORT if short else MONTHS_TH
    return digits(f"{day.day} {months[day.month - 1]} {be_year(day.year)}", thai=thai)


def format_month(day: date, *, thai: bool = False, short: bool = False) -> str:
    """ตุลาคม 2568 (or ต.ค. 2568)."""
    months = MONTHS_TH_SHORT if short else MONTHS_TH
    return digits(f"{months[day.month - 1]} {be_year(day.year)}", thai=thai)


def format_period(start: date | None, end: date | None, *, thai: bool = False) -> str:
    """ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙, the way plans print an action's period."""
    if start and end:
        if (start.year, start.month) == (end.year, end.month):
            return format_month(start, thai=thai)
        return f"{format_month(start, thai=thai)} – {format_month(end, thai=thai)}"
    if start:
        return format_month(start, thai=thai)
    if end:
        return format_month(end, thai=thai)
    return ""


def format_score(value: Decimal | float | int | None, *, thai: bool = False) -> str:
    """94.39 with exactly 2 decimals, as scores are published; '' when missing."""
    if value is None:
        return ""
    from ita.scoring import round_score

    return digits(f"{round_score(Decimal(str(value))):.2f}", thai=thai)
