"""Paste from ITAS on the admin entry screen, in a real browser: a copied column fills the
fields in order; a list of the wrong length fills nothing and says so in Thai and English."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from ita.forms import entry_layout
from ita.paste import paste_targets
from ita.queries import framework_lookup
from tests.factories import khlong_hin_pun_2568

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "pass-1234-paste-admin"


@dataclass(frozen=True)
class Screen:
    url: str
    indicator_fields: tuple[str, ...]
    survey_key: str
    survey_fields: tuple[str, ...]


@pytest.fixture
def screen() -> Screen:
    assessment = khlong_hin_pun_2568()
    get_user_model().objects.create_superuser("paste-admin", "paste@example.org", PASSWORD)
    with translation.override("th"):
        targets = paste_targets(entry_layout(framework_lookup(assessment.framework)))
    survey = next(t for t in targets if t.key.startswith("questions") and "EitSurvey" in t.label)
    return Screen(
        url=reverse("admin:ita_assessment_change", args=[assessment.pk]),
        indicator_fields=targets[0].fields,
        survey_key=survey.key,
        survey_fields=survey.fields,
    )


def _open(page, live_server, screen: Screen) -> None:
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "paste-admin")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked-form button[type=submit]")
    page.goto(live_server.url + screen.url)


def _values(page, names) -> list[str]:
    return [page.input_value(f'[name="{name}"]') for name in names]


# A column copied from the NACC page: Thai digits, per cent signs, a decimal comma, tabs
# and new lines, a trailing blank line.
COLUMN = "๙๘.๐๗%\n99,40\n 96.5\t\n95\n๙๗.๒๕\n94.50%\n89\n91.00\n97.25\n92.5\n\n"
FILLED = ["98.07", "99.40", "96.5", "95", "97.25", "94.50", "89", "91.00", "97.25", "92.5"]


def test_paste_fills_the_indicator_scores_in_order_and_saves(screen, live_server, page):
    _open(page, live_server, screen)

    page.select_option("#ita-paste-target", "indicators")
    page.fill("#ita-paste-text", COLUMN)
    page.click("#ita-paste-fill")

    assert _values(page, screen.indicator_fields) == FILLED
    assert "เติมแล้ว 10 ช่อง" in page.text_content("#ita-paste-message")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert [float(v) for v in _values(page, screen.indicator_fields)] == [float(v) for v in FILLED]


def test_paste_fills_one_channel_of_eit_from_a_copied_row(screen, live_server, page):
    _open(page, live_server, screen)
    row = "\t".join(f"{80 + n},5" for n in range(len(screen.survey_fields)))

    page.select_option("#ita-paste-target", screen.survey_key)
    page.fill("#ita-paste-text", row)
    page.click("#ita-paste-fill")

    assert _values(page, screen.survey_fields) == [
        f"{80 + n}.5" for n in range(len(screen.survey_fields))
    ]


def test_paste_with_the_wrong_count_fills_nothing_and_says_so(screen, live_server, page):
    _open(page, live_server, screen)
    before = _values(page, screen.indicator_fields)

    page.select_option("#ita-paste-target", "indicators")
    page.fill("#ita-paste-text", "98.07 99.40 96.50 95.00 97.25 94.50 89.00 91.00 97.25")
    page.click("#ita-paste-fill")

    message = page.text_content("#ita-paste-message")
    assert "พบตัวเลข 9 ค่า แต่รายการนี้มี 10 ช่อง จึงยังไม่เติมช่องใด" in message
    assert "Found 9 numbers but this list has 10 fields; nothing was filled." in message
    assert _values(page, screen.indicator_fields) == before


def test_paste_of_something_not_a_score_fills_nothing(screen, live_server, page):
    _open(page, live_server, screen)
    before = _values(page, screen.indicator_fields)

    page.select_option("#ita-paste-target", "indicators")
    page.fill("#ita-paste-text", "98.07 99.40 96.50 95.00 ตัวชี้วัด 94.50 89 91 97.25 120")
    page.click("#ita-paste-fill")

    assert "“ตัวชี้วัด” ไม่ใช่คะแนน 0 ถึง 100" in page.text_content("#ita-paste-message")
    assert _values(page, screen.indicator_fields) == before
