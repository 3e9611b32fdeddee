"""The peers page: an organisation's published scores set against other organisations'.

Six organisations in FY 2568 (overall scores chosen so every figure can be worked by hand):

    own  A  อบต.          สระแก้ว  90.00   (indicator 10: 50.00, the others 90.00)
         B  อบต.          สระแก้ว  95.00
         C  อบต.          สระแก้ว  85.00
         D  เทศบาลเมือง   สระแก้ว  80.00
         E  อบต.          จันทบุรี  99.00
         F  เทศบาลนคร     จันทบุรี  70.00
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ita.models import AgencyType, Framework
from ita.peers.queries import peer_report
from ita.peers.rules import Scope
from ita.results import IndicatorValue, ResultSet
from ita.services import results_save
from tests.factories import MembershipFactory, OrganisationFactory
from tests.ita.test_views import english, table_with, text

pytestmark = pytest.mark.django_db


def scored(name, province, agency_type, overall, *, year=2568, level="ผ่าน", tenth=None):
    organisation = OrganisationFactory(name=name, province=province, agency_type=agency_type)
    add_year(organisation, year, overall, level=level, tenth=tenth, agency_type=agency_type)
    return organisation


def add_year(organisation, year, overall, *, level="ผ่าน", tenth=None, agency_type=AgencyType.SAO):
    scores = {n: IndicatorValue(Decimal(overall)) for n in range(1, 11)}
    if tenth is not None:
        scores[10] = IndicatorValue(Decimal(tenth))
    return results_save(
        organisation=organisation,
        framework=Framework.objects.get(fiscal_year=year),
        agency_type=agency_type,
        results=ResultSet(overall=Decimal(overall), level=level, indicators=scores),
    )


@pytest.fixture
def own():
    return scored("อบต.เอ", "สระแก้ว", AgencyType.SAO, "90.00", level="ผ่านดี", tenth="50.00")


@pytest.fixture
def peers(own):
    return [
        scored("อบต.บี", "สระแก้ว", AgencyType.SAO, "95.00", level="ผ่านดีเยี่ยม"),
        scored("อบต.ซี", "สระแก้ว", AgencyType.SAO, "85.00", level="ผ่านดี"),
        scored("ทม.ดี", "สระแก้ว", AgencyType.TOWN_MUNICIPALITY, "80.00"),
        scored("อบต.อี", "จันทบุรี", AgencyType.SAO, "99.00", level="ผ่านดีเยี่ยม"),
        scored("ทน.เอฟ", "จันทบุรี", AgencyType.CITY_MUNICIPALITY, "70.00", level="ไม่ผ่าน"),
    ]


@pytest.fixture
def member(client, own):
    client.force_login(MembershipFactory(organisation=own).user)
    return client


def test_peer_report_ranks_the_overall_score_in_every_group(own, peers):
    report = peer_report(own, 2568)

    figures = {
        scope: (stat.count, stat.mean, stat.rank, stat.below)
        for scope, stat in report.overall.stats.items()
    }
    assert figures == {
        Scope.PROVINCE_TYPE: (3, Decimal("90.00"), 2, 1),
        Scope.PROVINCE: (4, Decimal("87.50"), 2, 2),
        Scope.NATIONAL_TYPE: (4, Decimal("92.25"), 3, 1),
        Scope.NATIONAL: (6, Decimal("86.50"), 3, 3),
    }
    assert report.overall.stat(Scope.PROVINCE).better_than == Decimal("66.7")
    assert report.overall.stat(Scope.NATIONAL_TYPE).difference == Decimal("-2.25")


def test_peer_report_compares_each_indicator_with_its_own_score(own, peers):
    report = peer_report(own, 2568)

    tenth = next(row for row in report.indicators if row.key == "10")
    first = next(row for row in report.indicators if row.key == "1")
    assert tenth.own == Decimal("50.00")
    assert tenth.stat(Scope.PROVINCE_TYPE).rank == 3
    assert tenth.stat(Scope.PROVINCE_TYPE).mean == Decimal("76.67")
    assert first.stat(Scope.PROVINCE_TYPE).rank == 2
    assert first.stat(Scope.NATIONAL).lowest == Decimal("70.00")
    assert first.stat(Scope.NATIONAL).highest == Decimal("99.00")


def test_peer_report_counts_levels_per_group_in_band_order(own, peers):
    report = peer_report(own, 2568)

    assert [(lv.level, lv.by_scope, lv.own) for lv in report.levels] == [
        ("ผ่านดีเยี่ยม", [1, 1, 2, 2], False),
        ("ผ่านดี", [2, 2, 2, 2], True),
        ("ผ่าน", [0, 1, 0, 1], False),
        ("ไม่ผ่าน", [0, 0, 0, 1], False),
    ]


def test_peer_report_ignores_other_years_and_ranks_only_the_province(own, peers):
    add_year(peers[0], 2567, "60.00")
    scored("อบต.จี", "สระแก้ว", AgencyType.SAO, "99.50", year=2567)

    report = peer_report(own, 2568)

    assert report.overall.stat(Scope.PROVINCE_TYPE).count == 3
    assert [(r.name, r.rank) for r in report.ranking] == [
        ("อบต.บี", 1),
        ("อบต.เอ", 2),
        ("อบต.ซี", 3),
        ("ทม.ดี", 4),
    ]


def test_peer_report_is_none_without_an_assessment_that_year(own):
    assert peer_report(own, 2567) is None


def test_peers_page_shows_the_standing_and_the_province_ranking(member, own, peers):
    response = english(member).get(reverse("ita:peers", args=[own.pk]))

    page = text(response)
    assert "Rank 2 of 3" in page  # อบต. in สระแก้ว
    assert "Subdistrict Administrative Organisation in สระแก้ว" in response.context["chart"]
    assert "Rank 3 of 6" in page  # every type nationwide
    assert "1 of 2 others (50.0%)" in page
    ranking = table_with(response, "Rank")
    assert [row[:4] for row in ranking[1:]] == [
        ["1", "อบต.บี", "Subdistrict Administrative Organisation", "95.00"],
        ["2", "อบต.เอ", "Subdistrict Administrative Organisation", "90.00"],
        ["3", "อบต.ซี", "Subdistrict Administrative Organisation", "85.00"],
        ["4", "ทม.ดี", "Town Municipality", "80.00"],
    ]
    assert 'class="row-own" aria-current="true"' in response.content.decode()


def test_peers_page_table_gives_mean_difference_and_rank_per_group(member, own, peers):
    response = english(member).get(reverse("ita:peers", args=[own.pk]))

    table = table_with(response, "Score")
    overall = next(row for row in table if row[0] == "Overall score")
    assert overall[1:] == [
        "90.00",
        "90.00 0.00",
        "2 of 3",
        "87.50 +2.50",
        "2 of 4",
        "92.25 -2.25",
        "3 of 4",
        "86.50 +3.50",
        "3 of 6",
    ]
    tenth = next(row for row in table if row[0].startswith("10 "))
    assert tenth[1:4] == ["50.00", "76.67 -26.67", "3 of 3"]


def test_peers_page_in_thai_names_the_groups(member, own, peers):
    response = member.get(reverse("ita:peers", args=[own.pk]))

    page = text(response)
    assert "องค์การบริหารส่วนตำบลในจังหวัดสระแก้ว" in page
    assert "อันดับที่ 2 จาก 3" in page


def test_peers_page_says_when_a_group_is_too_small(member, own):
    scored("อบต.บี", "สระแก้ว", AgencyType.SAO, "95.00")

    page = text(english(member).get(reverse("ita:peers", args=[own.pk])))

    assert page.count("Only 1 other organisation in this group has results") == 4
    assert "Rank 1 of" not in page and "Rank 2 of" not in page
    chart = english(member).get(reverse("ita:peers", args=[own.pk])).context["chart"]
    assert "Subdistrict Administrative Organisation in" not in chart  # no bars of a tiny group


def test_peers_page_chooses_a_year_and_refuses_one_without_results(member, own, peers):
    add_year(own, 2567, "70.00")
    url = reverse("ita:peers", args=[own.pk])

    older = text(english(member).get(url, {"year": 2567}))
    unknown = text(english(member).get(url, {"year": 2560}))

    assert "Overall score 2567 among peers" in older
    assert "Only 0 other organisations in this group" in older
    assert "This organisation has no results for that fiscal year." in unknown
    assert "Overall score 2568 among peers" in unknown  # falls back to the newest year


def test_peers_page_without_results_shows_the_empty_state(client):
    organisation = OrganisationFactory()
    client.force_login(MembershipFactory(organisation=organisation).user)

    page = text(english(client).get(reverse("ita:peers", args=[organisation.pk])))

    assert "No ITA results have been entered for this organisation." in page


def test_peers_page_is_hidden_from_other_organisations_and_anonymous(client, own, peers):
    url = reverse("ita:peers", args=[own.pk])
    anonymous = client.get(url)
    client.force_login(MembershipFactory(organisation=peers[0]).user)

    stranger = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert stranger.status_code == 404


@pytest.mark.parametrize("extra", [0, 12, 60])
def test_peers_page_query_count_does_not_grow_with_peers(
    member, own, peers, extra, django_assert_num_queries
):
    for n in range(extra):
        scored(f"อบต.เพิ่ม {n}", "สระแก้ว" if n % 2 else "ตราด", AgencyType.SAO, f"{80 + n / 4:.2f}")
    url = reverse("ita:peers", args=[own.pk])
    member.get(url)  # the first visit also writes the remembered organisation (and, as no
    # write here commits, refreshes the year's peer rows that a commit would have refreshed)

    with django_assert_num_queries(10):
        response = member.get(url)

    assert f"of {6 + extra}" in text(english(member).get(url))
    assert response.status_code == 200
    in_province = len(peer_report(own, 2568).ranking)
    assert len(table_with(response, "หน่วยงาน")) == 1 + min(25, in_province)  # one page


def test_peers_page_ranking_opens_on_the_page_of_the_organisation(member, own):
    for n in range(30):  # 30 better organisations: the own one is 31st, on page 2
        scored(f"อบต.ดีกว่า {n:02d}", "สระแก้ว", AgencyType.SAO, f"{91 + n * 0.25:.2f}")
    url = reverse("ita:peers", args=[own.pk])

    default = english(member).get(url)
    first = english(member).get(url, {"page": 1})

    rows = table_with(default, "Rank")[1:]
    assert [row[0] for row in rows] == [str(n) for n in range(26, 32)]
    assert rows[-1][1] == "อบต.เอ"
    top = table_with(first, "Rank")[1:]
    assert [(row[0], row[1]) for row in top[:2]] == [("1", "อบต.ดีกว่า 29"), ("2", "อบต.ดีกว่า 28")]
    assert len(top) == 25 and "อบต.เอ" not in [row[1] for row in top]
