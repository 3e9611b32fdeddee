"""The rules of the peers comparison: ranks, shares, means and level order (no database)."""

from __future__ import annotations

from decimal import Decimal

from ita.peers.rules import (
    Cell,
    PeerReport,
    PeerRow,
    PeerStat,
    Scope,
    combine,
    level_order,
    ranked,
    standing,
)


def test_peer_stat_ranks_by_how_many_scored_higher():
    stat = PeerStat(count=5, above=2, below=2, own=Decimal("90.00"))

    assert stat.rank == 3
    assert stat.others == 4


def test_peer_stat_without_an_own_score_has_no_rank_or_share():
    stat = PeerStat(count=5, mean=Decimal("88.00"), above=0, below=0, own=None)

    assert stat.rank is None
    assert stat.better_than is None
    assert stat.difference is None
    assert stat.others == 5


def test_peer_stat_better_than_is_the_share_of_others_scoring_lower():
    stat = PeerStat(count=4, above=1, below=2, own=Decimal("90"))

    assert stat.better_than == Decimal("66.7")


def test_peer_stat_alone_in_its_group_is_not_enough_to_compare():
    alone = PeerStat(count=1, own=Decimal("90"))
    one_other = PeerStat(count=2, own=Decimal("90"))
    two_others = PeerStat(count=3, own=Decimal("90"))

    assert (alone.enough, one_other.enough, two_others.enough) == (False, False, True)
    assert alone.better_than is None


def test_standing_rounds_the_mean_half_up_and_gives_the_difference():
    stat = standing(Decimal("90.00"), 3, Decimal("230.005"), None, None, 1, 1)

    assert stat.mean == Decimal("76.67")
    assert stat.difference == Decimal("13.33")


def test_standing_of_an_empty_group_has_no_mean():
    stat = standing(Decimal("90.00"), 0, None, None, None, 0, 0)

    assert stat.mean is None
    assert stat.rank is None


def test_ranked_shares_a_rank_on_ties_and_puts_unscored_last():
    rows = [
        (1, "ข", "sao", Decimal("90.00"), "ผ่านดี"),
        (2, "ก", "sao", Decimal("95.00"), "ผ่านดีเยี่ยม"),
        (3, "ค", "town", Decimal("90.00"), "ผ่านดี"),
        (4, "ง", "sao", None, ""),
        (5, "จ", "city", Decimal("80.00"), "ผ่าน"),
    ]

    result = ranked(rows, own_id=3)

    assert [(r.organisation_id, r.rank) for r in result] == [
        (2, 1),
        (1, 2),
        (3, 2),
        (5, 4),
        (4, None),
    ]
    assert [r.own for r in result] == [False, False, True, False, False]


def test_level_order_follows_the_bands_then_unknown_levels_by_name():
    bands = ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ไม่ผ่าน"]

    assert level_order(["ไม่ผ่าน", "ผ่านดี", "พิเศษ", "ผ่านดีเยี่ยม"], bands) == [
        "ผ่านดีเยี่ยม",
        "ผ่านดี",
        "ไม่ผ่าน",
        "พิเศษ",
    ]


def test_peer_row_published_only_when_someone_has_a_score():
    empty = PeerRow(key="IIT", name="IIT", name_en="", own=None)
    peers_only = PeerRow(
        key="IIT", name="IIT", name_en="", own=None, stats={Scope.NATIONAL: PeerStat(count=3)}
    )

    assert not empty.published
    assert peers_only.published
    assert [s.count for s in peers_only.by_scope] == [0, 0, 0, 3]


def test_combine_adds_the_cells_of_each_group():
    cells = [
        Cell(True, True, 3, Decimal("270.00"), Decimal("85.00"), Decimal("95.00"), 1, 1),
        Cell(True, False, 1, Decimal("80.00"), Decimal("80.00"), Decimal("80.00"), 0, 1),
        Cell(False, True, 1, Decimal("99.00"), Decimal("99.00"), Decimal("99.00"), 1, 0),
        Cell(False, False, 1, Decimal("70.00"), Decimal("70.00"), Decimal("70.00"), 0, 1),
    ]

    stats = combine(cells, Decimal("90.00"))

    assert {s: (v.count, v.mean, v.lowest, v.highest, v.rank) for s, v in stats.items()} == {
        Scope.PROVINCE_TYPE: (3, Decimal("90.00"), Decimal("85.00"), Decimal("95.00"), 2),
        Scope.PROVINCE: (4, Decimal("87.50"), Decimal("80.00"), Decimal("95.00"), 2),
        Scope.NATIONAL_TYPE: (4, Decimal("92.25"), Decimal("85.00"), Decimal("99.00"), 3),
        Scope.NATIONAL: (6, Decimal("86.50"), Decimal("70.00"), Decimal("99.00"), 3),
    }


def test_combine_of_no_cells_is_an_empty_group_everywhere():
    stats = combine([], Decimal("90.00"))

    assert all(s.count == 0 and s.mean is None for s in stats.values())


def test_chart_series_leaves_out_groups_too_small_to_compare():
    def row(key, own, province_mean):
        return PeerRow(
            key=key,
            name=key,
            name_en="",
            own=own,
            stats={
                Scope.PROVINCE_TYPE: PeerStat(count=2, mean=province_mean, own=own),
                Scope.NATIONAL_TYPE: PeerStat(count=9, mean=Decimal("80.00"), own=own),
            },
        )

    report = PeerReport(
        fiscal_year=2568,
        agency_type="sao",
        agency_type_label="อบต.",
        province="สระแก้ว",
        published_level="",
        overall=row("overall", Decimal("90.00"), Decimal("88.00")),
        tools=[],
        indicators=[row("1", Decimal("91.00"), Decimal("89.00"))],
        levels=[],
        ranking=[],
    )
    scopes = [(Scope.PROVINCE_TYPE, "ในจังหวัด"), (Scope.NATIONAL_TYPE, "ทั่วประเทศ")]

    assert report.chart_series(scopes) == [
        ("2568", [Decimal("91.00")]),
        ("ทั่วประเทศ", [Decimal("80.00")]),  # one other in the province: too few
    ]
