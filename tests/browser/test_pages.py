"""Each analysis page in a real browser, in Thai: the figures, the charts, the Thai font."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    indicator_scores_year,
    khlong_hin_pun_2568,
)

# The live server runs in another thread, so the data must be committed; the shipped
# frameworks come back from the serialized database after each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "pass-1234-user"


@pytest.fixture
def khp():
    organisation = khlong_hin_pun_2568().organisation
    indicator_scores_year(
        organisation,
        2567,
        ["97.00", "99.50", "98.00", "95.00", "96.00", "94.50", "89.00", "91.00", "97.25", "92.50"],
        overall="94.10",
        level="ผ่านดี",
    )
    return organisation


@pytest.fixture
def somchai(khp):
    return MembershipFactory(organisation=khp, user__username="somchai").user


def log_in(page, live_server, username: str = "somchai") -> None:
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked-form button[type=submit]")


def assert_thai_font_and_charts(page) -> None:
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ก่')")
    boxes = page.eval_on_selector_all(
        "figure.chart-figure svg",
        "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
    )
    assert boxes and all(w > 100 and h > 100 for w, h in boxes)


def test_login_then_dashboard_shows_the_figures(somchai, khp, live_server, page):
    log_in(page, live_server)

    assert page.url == live_server.url + reverse("ita:dashboard", args=[khp.pk])
    assert page.locator("[data-testid=overall-score]").inner_text() == "94.39"
    assert page.locator("[data-testid=level]").inner_text() == "ผ่านดี"
    assert page.locator("html").get_attribute("lang") == "th"
    table = page.locator("table.data-table").nth(1).inner_text()
    assert "การปรับปรุงการทำงาน" in table and "90.29 ≠" in table and "▼ -2.50" in table
    assert_thai_font_and_charts(page)


def test_chart_labels_are_thai_text_in_sarabun(somchai, khp, live_server, page):
    log_in(page, live_server)

    label = page.locator("figure.chart-figure svg text", has_text="การใช้ทรัพย์สินของราชการ")
    assert label.count() == 1
    family = label.evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith("Sarabun")


def test_dashboard_fits_a_phone(somchai, khp, live_server, phone):
    log_in(phone, live_server)

    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert phone.locator("[data-testid=overall-score]").is_visible()


def test_compare_page_shows_years_side_by_side(somchai, khp, live_server, page):
    log_in(page, live_server)

    page.goto(live_server.url + reverse("ita:compare", args=[khp.pk]))

    table = page.locator("table.data-table").nth(1)
    header = table.locator("thead").inner_text()
    assert re.search(r"2567\s.*2568", header, re.S)
    assert "90.00" in table.inner_text() and "▼ -2.50" in table.inner_text()
    assert_thai_font_and_charts(page)


def test_indicator_page_shows_questions_and_analysis(somchai, khp, live_server, page):
    log_in(page, live_server)

    page.goto(live_server.url + reverse("ita:indicator", args=[khp.pk, 8]))

    assert page.locator("[data-testid=indicator-score]").inner_text() == "90.31"
    assert "86.34" in page.locator("table.data-table").first.inner_text()
    assert "๙๐.๓๑" in page.locator(".analysis-text").first.inner_text()
    assert_thai_font_and_charts(page)


def test_english_switch(somchai, khp, live_server, page):
    log_in(page, live_server)

    with page.expect_navigation():
        page.click("form.language-switch button[value=en]")

    assert page.locator("html").get_attribute("lang") == "en"
    assert "Improvement of work" in page.locator("table.data-table").nth(1).inner_text()


@pytest.fixture
def khp_peers(khp):
    """Three other อบต. of สระแก้ว in 2568: one above Khlong Hin Pun's 94.39, two below."""
    scores = {"อบต.ทดสอบบน": "96.00", "อบต.ทดสอบกลาง": "90.00", "อบต.ทดสอบล่าง": "80.00"}
    for name, overall in scores.items():
        peer = OrganisationFactory(name=name, province=khp.province)
        indicator_scores_year(peer, 2568, [overall] * 10, overall=overall, level="ผ่าน")
    return scores


def test_peers_page_from_the_menu_ranks_the_organisation(
    somchai, khp, khp_peers, live_server, page
):
    log_in(page, live_server)

    with page.expect_navigation():
        page.click("nav.main-nav >> text=เทียบกับ อปท. อื่น")

    assert page.url == live_server.url + reverse("ita:peers", args=[khp.pk])
    first_card = page.locator(".peer-card").first
    assert "อันดับที่ 2 จาก 4" in first_card.inner_text()
    own_row = page.locator("tr.row-own").last
    assert "94.39" in own_row.inner_text() and "คลองหินปูน" in own_row.inner_text()
    assert_thai_font_and_charts(page)

    page.select_option("select[name=year]", "2567")
    with page.expect_navigation():
        page.click("form.year-picker button[type=submit]")

    assert "2567" in page.locator("#standing-heading").inner_text()
    assert "น้อยเกินกว่าจะเปรียบเทียบ" in page.locator(".peer-card").first.inner_text()
