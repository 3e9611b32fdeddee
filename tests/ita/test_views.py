"""The analysis pages as a user sees them: figures, changes, warnings, and their query cost.

Figures come from Khlong Hin Pun's published 2568 analysis (overall 94.39, ผ่านดี); earlier
years are made up around it. Template wording is checked in English (Accept-Language: en) so
the tests do not depend on the compiled Thai catalogue; data (levels, Thai names) is Thai.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from ita.models import AgencyType, Division, Framework, Indicator, Tool
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from plans.models import Action, Plan
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    indicator_scores_year,
    khlong_hin_pun_2568,
)

pytestmark = pytest.mark.django_db

KHP_2568 = [
    "98.07",
    "99.12",
    "99.12",
    "94.38",
    "97.02",
    "93.92",
    "90.55",
    "90.31",
    "98.25",
    "90.00",
]
Y2567 = ["97.00", "99.50", "98.00", "95.00", "96.00", "94.50", "89.00", "91.00", "97.25", "92.50"]
Y2566 = ["95.00", "96.00", "97.00", "93.00", "95.00", "92.00", "88.00", "89.00", "96.00", "87.50"]


class english:
    """Make one request with the English interface (the language cookie), then go back."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, **kwargs):
        return self._request("get", *args, **kwargs)

    def post(self, *args, **kwargs):
        return self._request("post", *args, **kwargs)

    def _request(self, method, *args, **kwargs):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        try:
            return getattr(self.client, method)(*args, **kwargs)
        finally:
            del self.client.cookies[settings.LANGUAGE_COOKIE_NAME]


@pytest.fixture
def khp():
    """Khlong Hin Pun 2568 with every question."""
    return khlong_hin_pun_2568().organisation


@pytest.fixture
def khp_three_years(khp):
    indicator_scores_year(khp, 2566, Y2566, overall="92.10", level="ผ่าน")
    indicator_scores_year(khp, 2567, Y2567, overall="94.10", level="ผ่านดี")
    return khp


@pytest.fixture
def member(client, khp):
    client.force_login(MembershipFactory(organisation=khp).user)
    return client


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if self._cell is not None:
            self._cell.append(" ")  # <br> and inline tags separate words
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def table_with(response, heading: str) -> list[list[str]]:
    return next(t for t in tables(response) if t and heading in t[0])


def text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.split())


# --- Dashboard -----------------------------------------------------------------------------


def test_dashboard_shows_the_published_overall_score_and_level(member, khp):
    response = member.get(reverse("ita:dashboard", args=[khp.pk]))

    html = response.content.decode()
    assert re.search(r'data-testid="overall-score">94\.39<', html)
    assert re.search(r'data-testid="level">ผ่านดี<', html)
    assert "Published 94.39 · ผ่านดี Computed 94.39 · ผ่านดี" in text(
        english(member).get(reverse("ita:dashboard", args=[khp.pk]))
    )


def test_dashboard_lists_the_ten_indicator_scores(member, khp):
    response = english(member).get(reverse("ita:dashboard", args=[khp.pk]))

    rows = table_with(response, "Indicator")[1:]
    assert [r[0] for r in rows] == [str(n) for n in range(1, 11)]
    assert [r[3] for r in rows] == KHP_2568
    assert rows[7][1] == "Improvement of work"
    thai = tables(member.get(reverse("ita:dashboard", args=[khp.pk])))[1]
    assert thai[8][1] == "การปรับปรุงการทำงาน"


def test_dashboard_flags_indicator_8_computed_from_its_questions(member, khp):
    response = english(member).get(reverse("ita:dashboard", args=[khp.pk]))

    rows = table_with(response, "Indicator")[1:]
    assert rows[7][4] == "90.29 ≠"  # computed from e7–e9, published 90.31
    assert [r[4] for r in rows if "≠" in r[4]] == ["90.29 ≠"]
    assert (
        "Indicator 8 (Improvement of work): computed from its questions 90.29, published 90.31."
        in text(response)
    )


def test_dashboard_shows_tool_scores_computed_from_indicators(member, khp):
    response = english(member).get(reverse("ita:dashboard", args=[khp.pk]))

    rows = table_with(response, "Weight")[1:]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("IIT", "30%", "97.54 *"),
        ("EIT", "30%", "91.59 *"),
        ("OIT", "40%", "94.13 *"),
    ]
    assert "<svg" in response.content.decode()


def test_dashboard_shows_changes_against_the_previous_year(member, khp_three_years):
    response = english(member).get(reverse("ita:dashboard", args=[khp_three_years.pk]))

    rows = table_with(response, "Indicator")[1:]
    assert [r[5] for r in rows] == Y2567
    assert [r[6] for r in rows] == [
        "▲ +1.07", "▼ -0.38", "▲ +1.12", "▼ -0.62", "▲ +1.02",
        "▼ -0.58", "▲ +1.55", "▼ -0.69", "▲ +1.00", "▼ -2.50",
    ]  # fmt: skip
    assert "▲ +0.29 since 2567" in text(response)
    assert "Changes are against fiscal year 2567." in text(response)


def test_dashboard_names_falling_indicators_lowest_first(member, khp_three_years):
    response = english(member).get(reverse("ita:dashboard", args=[khp_three_years.pk]))

    html = response.content.decode()
    where = html[html.index('id="attention-heading"') :]
    listed = re.findall(r"indicators/(\d+)/\">\d+\. ", where)
    assert listed == ["10", "8", "6", "4", "2"]
    assert "falling ▼ -2.50" in text(response)


def test_dashboard_names_the_lowest_questions_and_items(member, khp):
    response = english(member).get(reverse("ita:dashboard", args=[khp.pk]))

    page = text(response)
    where = page[page.index("Where to improve") :]
    assert re.findall(r"\b([ie]\d+) indicator \d+ (\d+\.\d\d)", where) == [
        ("i10", "88.42"),
        ("e7", "89.17"),
        ("e4", "90.39"),
        ("e6", "90.39"),
        ("e9", "90.65"),
    ]
    assert "o16 ประมวลจริยธรรมและการขับเคลื่อนจริยธรรม 50.00" in where
    assert "o27 มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน 50.00" in where


def test_dashboard_of_an_earlier_year(member, khp_three_years):
    response = english(member).get(reverse("ita:year-dashboard", args=[khp_three_years.pk, 2567]))

    assert re.search(r'data-testid="overall-score">94\.10<', response.content.decode())
    rows = table_with(response, "Indicator")[1:]
    assert [r[3] for r in rows] == Y2567
    assert rows[9][6] == "▲ +5.00"  # indicator 10: 92.50 against 87.50 in 2566


def test_dashboard_of_a_year_without_results_is_404(member, khp):
    response = member.get(reverse("ita:year-dashboard", args=[khp.pk, 2565]))

    assert response.status_code == 404


def test_dashboard_without_results_says_so(client):
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = english(client).get(reverse("ita:dashboard", args=[membership.organisation.pk]))

    assert "No ITA results have been entered for this organisation." in text(response)


def test_dashboard_plan_summary_counts_actions_by_status(member, khp):
    assessment = khp.assessments.get()
    plan = Plan.objects.create(organisation=khp, fiscal_year=2569, assessment=assessment)
    indicator = Indicator.objects.get(framework__fiscal_year=2568, number=8)
    for status in ("not_started", "not_started", "in_progress", "done"):
        Action.objects.create(
            plan=plan,
            indicator=indicator,
            finding="คะแนน 90.31",
            measure="พัฒนาระบบ E-Service",
            start_month=date(2025, 10, 1),
            end_month=date(2026, 3, 1),
            status=status,
        )

    response = english(member).get(reverse("ita:dashboard", args=[khp.pk]))

    page = text(response)
    assert "Improvement plan for fiscal year 2569" in page
    counts = dict(
        re.findall(
            r'status-([a-z_]+)"><span class="status-counts__n">(\d+)', response.content.decode()
        )
    )
    assert counts["not_started"] == "2"
    assert counts["in_progress"] == "1"
    assert counts["done"] == "1"
    assert "4 actions in all" in page


def test_dashboard_without_a_plan_says_none_was_drawn(member, khp):
    response = english(member).get(reverse("ita:dashboard", args=[khp.pk]))

    assert "No improvement plan has been drawn from these results yet." in text(response)


def test_dashboard_is_thai_by_default_and_switches_to_english(member, khp):
    url = reverse("ita:dashboard", args=[khp.pk])
    thai = member.get(url, HTTP_ACCEPT_LANGUAGE="en-US")  # an English browser: still Thai

    member.post(reverse("set_language"), {"language": "en", "next": url})
    switched = member.get(url)

    assert '<html lang="th">' in thai.content.decode()
    assert tables(thai)[1][8][1] == "การปรับปรุงการทำงาน"
    assert '<html lang="en">' in switched.content.decode()
    assert tables(switched)[1][8][1] == "Improvement of work"


# --- Comparison ----------------------------------------------------------------------------


def test_compare_lists_indicators_by_year_with_differences(member, khp_three_years):
    response = english(member).get(reverse("ita:compare", args=[khp_three_years.pk]))

    table = table_with(response, "Change over the period")
    assert table[0][:6] == ["No.", "Indicator", "Tool", "2566", "2567", "2568"]
    row_10 = table[10]
    assert row_10[:3] == ["10", "Corruption prevention", "OIT"]
    assert row_10[3:] == ["87.50", "92.50 ▲ +5.00", "90.00 ▼ -2.50", "▲ +2.50"]
    assert table[8][5] == "90.31 * ▼ -0.69"  # indicator 8: computed differs in 2568


def test_compare_overall_row_has_levels_and_changes(member, khp_three_years):
    response = english(member).get(reverse("ita:compare", args=[khp_three_years.pk]))

    overall = tables(response)[0]
    assert overall[0] == ["2566", "2567", "2568"]
    assert overall[1] == ["92.10 ผ่าน", "94.10 ผ่านดี ▲ +2.00", "94.39 ผ่านดี ▲ +0.29"]


def test_compare_chosen_years_only(member, khp_three_years):
    response = english(member).get(
        reverse("ita:compare", args=[khp_three_years.pk]) + "?years=2566&years=2568"
    )

    table = table_with(response, "Change over the period")
    assert table[0][3:5] == ["2566", "2568"]
    assert table[10][3:5] == ["87.50", "90.00 ▲ +2.50"]


def test_compare_needs_two_years(member, khp_three_years):
    response = english(member).get(
        reverse("ita:compare", args=[khp_three_years.pk]) + "?years=2568"
    )

    assert "Choose at least two fiscal years to compare." in text(response)
    assert table_with(response, "Change over the period")[0][3:6] == ["2566", "2567", "2568"]


def test_compare_sorts_by_a_year_column(member, khp_three_years):
    response = english(member).get(
        reverse("ita:compare", args=[khp_three_years.pk]) + "?sort=y2568"
    )

    numbers = [r[0] for r in table_with(response, "Change over the period")[1:]]
    assert numbers == ["10", "8", "7", "6", "4", "5", "1", "9", "2", "3"]


def test_compare_warns_that_each_year_has_its_own_framework(member, khp_three_years):
    response = english(member).get(reverse("ita:compare", args=[khp_three_years.pk]))

    page = text(response)
    assert "Each fiscal year has its own framework" in page
    assert "different framework families" not in page
    assert (
        "Indicator 8 has a different name in some years: "
        "การปรับปรุงระบบการทำงาน (2566, 2567); การปรับปรุงการทำงาน (2568)."
    ) in page


def test_compare_keeps_other_framework_families_apart(member, khp):
    old = Framework.objects.create(fiscal_year=2561, family="ita-old-5", name="ITA 2561")
    tool = Tool.objects.create(framework=old, code="ALL", name_th="ดัชนี", weight=Decimal(100))
    for number in (1, 2):
        Indicator.objects.create(framework=old, tool=tool, number=number, name_th=f"ดัชนี {number}")
    results_save(
        organisation=khp,
        framework=old,
        agency_type=AgencyType.SAO,
        results=ResultSet(
            indicators={1: IndicatorValue(Decimal("70.00")), 2: IndicatorValue(Decimal("60.00"))}
        ),
    )

    response = english(member).get(reverse("ita:compare", args=[khp.pk]))

    page = text(response)
    assert "These years belong to different framework families." in page
    assert "ita-old-5 : 2561" in page and "ita-10 : 2568" in page
    rows = table_with(response, "Change over the period")[1:]
    assert (rows[0][1], rows[0][3], rows[0][4]) == ("Performance of duties", "—", "98.07")
    assert ("ดัชนี 1", "70.00", "—") in [(r[1], r[3], r[4]) for r in rows]
    assert len(rows) == 12


def test_compare_questions_only_within_one_framework(member, khp_three_years, khp):
    several = english(member).get(reverse("ita:compare", args=[khp_three_years.pk]))
    other = OrganisationFactory()
    khlong_hin_pun_2568(other)
    MembershipFactory(user=several.wsgi_request.user, organisation=other)
    single = english(member).get(reverse("ita:compare", args=[other.pk]))

    assert "compared only within one framework, never across years" in text(several)
    questions = table_with(single, "Theme")
    assert questions[1][:4] == ["i1", "1", "", "96.32"]
    assert "Only one fiscal year has results" in text(single)


# --- Indicator detail ----------------------------------------------------------------------


def test_indicator_page_shows_questions_by_channel_and_the_published_analysis(member, khp):
    response = english(member).get(reverse("ita:indicator", args=[khp.pk, 8]))

    page = text(response)
    assert "Indicator 8: Improvement of work" in page
    assert re.search(r'data-testid="indicator-score">90\.31<', response.content.decode())
    assert "90.29 ≠ 90.31" in page
    questions = table_with(response, "Mean")
    assert questions[1:] == [
        ["e7", "86.34", "92.00", "89.17"],
        ["e8", "91.12", "91.00", "91.06"],
        ["e9", "88.29", "93.00", "90.65"],
    ]
    assert "มีผลคะแนนในตัวชี้วัดการปรับปรุงการทำงาน อยู่ที่ ๙๐.๓๑ คะแนน" in page


def test_indicator_page_shows_open_data_items(member, khp):
    response = english(member).get(reverse("ita:indicator", args=[khp.pk, 10]))

    items = table_with(response, "Item title")
    assert items[1][:4] == [
        "o27",
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "50.00",
        "partial",
    ]


def test_indicator_page_lists_every_year_newest_first_with_changes(member, khp_three_years):
    response = english(member).get(reverse("ita:indicator", args=[khp_three_years.pk, 10]))

    headings = re.findall(
        r'<h2 id="year-(\d+)">.*?<span class="score[^"]*">([\d.]+)</span>\s*'
        r'(?:<span class="change[^"]*"[^>]*>([^<]*)</span>)?',
        response.content.decode(),
        re.S,
    )
    assert [(y, s, c.strip()) for y, s, c in headings] == [
        ("2568", "90.00", "▼ -2.50"),
        ("2567", "92.50", "▲ +5.00"),
        ("2566", "87.50", ""),
    ]


def test_indicator_page_lists_planned_actions(member, khp):
    plan = Plan.objects.create(organisation=khp, fiscal_year=2569, assessment=khp.assessments.get())
    division = Division.objects.create(organisation=khp, name="สำนักปลัด")
    action = Action.objects.create(
        plan=plan,
        indicator=Indicator.objects.get(framework__fiscal_year=2568, number=8),
        finding="คะแนน 90.31 การให้บริการออนไลน์ยังไม่สะดวก",
        measure="พัฒนาระบบการให้บริการออนไลน์ (E-Service)",
        start_month=date(2025, 10, 1),
        end_month=date(2026, 3, 1),
    )
    action.divisions.add(division)

    response = english(member).get(reverse("ita:indicator", args=[khp.pk, 8]))

    row = table_with(response, "Measure")[1]
    assert row[0] == "2569"
    assert row[2] == "พัฒนาระบบการให้บริการออนไลน์ (E-Service)"
    assert row[3] == "ตุลาคม 2568 – มีนาคม 2569"
    assert row[4] == "สำนักปลัด"


def test_indicator_page_of_an_unknown_indicator_is_404(member, khp):
    assert member.get(reverse("ita:indicator", args=[khp.pk, 42])).status_code == 404


# --- Query counts: the same with 1 and 3 years ----------------------------------------------


@pytest.fixture(params=[1, 3], ids=["1-year", "3-years"])
def years_of_results(request, khp):
    if request.param == 3:
        indicator_scores_year(khp, 2566, Y2566, overall="92.10", level="ผ่าน")
        indicator_scores_year(khp, 2567, Y2567, overall="94.10", level="ผ่านดี")
    return khp


def warm(client, url: str) -> None:
    """One visit first, so the session already remembers the organisation."""
    client.get(url)


def assert_shows_every_year(response, organisation) -> None:
    content = response.content.decode()
    years = organisation.assessments.values_list("framework__fiscal_year", flat=True)
    assert "94.39" in content or "90.31" in content
    assert [y for y in years if str(y) not in content] == []


# Warm: the year figures were cached by the first visit and are read with no query; cold:
# the figures cache is empty and the page reads the assessment rows (its key took only their
# versions) and every year's details once (8 queries more, whatever the number of years).
# Neither count grows with the years.
FIGURES_COLD = 8


def visit_with_figures(client, url: str, cached: bool) -> None:
    warm(client, url)
    if not cached:
        caches["figures"].clear()


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
def test_dashboard_query_count(member, years_of_results, cached, django_assert_num_queries):
    url = reverse("ita:dashboard", args=[years_of_results.pk])
    visit_with_figures(member, url, cached)

    # 6 warm: the body comes from the page cache (ita.pagecache), so the plan panel's two
    # queries are not made; the plans token (one query) and the public page link (one) are.
    # Cold (the cache cleared): the 7 of the page as rendered before, the figures' 7 and the
    # plans token.
    with django_assert_num_queries(6 if cached else 7 + FIGURES_COLD + 1):
        response = member.get(url)

    assert_shows_every_year(response, years_of_results)


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
def test_year_dashboard_query_count(member, years_of_results, cached, django_assert_num_queries):
    url = reverse("ita:year-dashboard", args=[years_of_results.pk, 2568])
    visit_with_figures(member, url, cached)

    with django_assert_num_queries(6 if cached else 7 + FIGURES_COLD + 1):
        response = member.get(url)

    assert_shows_every_year(response, years_of_results)


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
def test_compare_query_count(member, years_of_results, cached, django_assert_num_queries):
    url = reverse("ita:compare", args=[years_of_results.pk])
    visit_with_figures(member, url, cached)

    with django_assert_num_queries(4 if cached else 4 + FIGURES_COLD):
        response = member.get(url)

    assert_shows_every_year(response, years_of_results)


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
def test_indicator_query_count(member, years_of_results, cached, django_assert_num_queries):
    url = reverse("ita:indicator", args=[years_of_results.pk, 8])
    visit_with_figures(member, url, cached)

    # Warm: the plans token replaces the planned actions' query; cold: both are made.
    with django_assert_num_queries(5 if cached else 5 + FIGURES_COLD + 1):
        response = member.get(url)

    assert_shows_every_year(response, years_of_results)


# --- Login ---------------------------------------------------------------------------------


def test_login_leads_a_member_to_their_dashboard(client, khp):
    membership = MembershipFactory(organisation=khp, user__username="somchai")

    response = client.post(
        reverse("login"), {"username": "somchai", "password": "pass-1234-user"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("ita:dashboard", args=[khp.pk])
    assert re.search(r'data-testid="overall-score">94\.39<', response.content.decode())
    assert membership.user.username in response.content.decode()


def test_login_page_shows_an_error_for_a_wrong_password(client):
    MembershipFactory(user__username="somchai")

    response = english(client).post(reverse("login"), {"username": "somchai", "password": "wrong"})

    assert "Your username and password did not match." in text(response)
