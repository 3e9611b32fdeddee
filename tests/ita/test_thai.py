from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template

from ita import thai


def test_thai_digits_replaces_every_arabic_digit():
    assert thai.thai_digits("94.39 คะแนน ปี 2568") == "๙๔.๓๙ คะแนน ปี ๒๕๖๘"


def test_format_date_uses_buddhist_era_year():
    assert thai.format_date(date(2026, 11, 27)) == "27 พฤศจิกายน 2569"
    assert thai.format_date(date(2026, 11, 27), short=True, thai=True) == "๒๗ พ.ย. ๒๕๖๙"


def test_format_period_matches_the_plan_document():
    period = thai.format_period(date(2025, 10, 1), date(2026, 3, 31), thai=True)

    assert period == "ตุลาคม ๒๕๖๘ – มีนาคม ๒๕๖๙"


def test_format_period_of_one_month_is_not_repeated():
    assert thai.format_period(date(2025, 10, 1), date(2025, 10, 31)) == "ตุลาคม 2568"


def test_fiscal_year_starts_in_october():
    assert thai.fiscal_year_of(date(2025, 9, 30)) == 2568
    assert thai.fiscal_year_of(date(2025, 10, 1)) == 2569


def test_format_score_rounds_half_up_to_two_places():
    assert thai.format_score(Decimal("94.3906")) == "94.39"
    assert thai.format_score(Decimal("94.125")) == "94.13"
    assert thai.format_score(Decimal("90"), thai=True) == "๙๐.๐๐"
    assert thai.format_score(None) == ""


def test_be_date_filter_shows_local_date_in_buddhist_era():
    # 20:00 UTC on 30 Sep is already 1 Oct in Bangkok.
    moment = datetime(2025, 9, 30, 20, 0, tzinfo=ZoneInfo("UTC"))
    template = Template("{% load thai %}{{ moment|be_date }} | {{ moment|be_date:'short thai' }}")

    rendered = template.render(Context({"moment": moment}))

    assert rendered == "1 ตุลาคม 2568 | ๑ ต.ค. ๒๕๖๘"


def test_format_date_prints_an_aware_datetime_as_its_bangkok_day():
    # 06:30 on 15 January in Bangkok is still 14 January in UTC.
    approved = datetime(2026, 1, 14, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert thai.format_date(approved) == "15 มกราคม 2569"
    assert thai.format_date(datetime(2026, 1, 14, 16, 59, tzinfo=ZoneInfo("UTC"))) == (
        "14 มกราคม 2569"
    )
