"""Three reports on one market: loaded, traceable, mapped onto one taxonomy, their partial splits
completed by an explicit unallocated row, compared where comparable, and checked across figures."""

from __future__ import annotations

import re

import pytest

from tests.helpers import FIXTURE, read_csv

QY = "qy_battery_anode_2021"
CNCIC = "cncic_china_anode_2022"
CHEM24 = "chem24_anode_2025"
QY_TEXT = (FIXTURE / "reports" / "anode-market-qy-research-2021.md").read_text(encoding="utf-8")


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def qy_number(pattern: str) -> float:
    return float(re.search(pattern, QY_TEXT).group(1))


def test_three_reports_load_with_their_figures(warehouse):
    counts = dict(rows(warehouse, "select report_id, reported_figure_count from marts.reports"))
    seeded = {}
    for figure in read_csv(FIXTURE / "seeds" / "report_figures.csv"):
        seeded[figure["report_id"]] = seeded.get(figure["report_id"], 0) + 1
    assert counts == seeded and set(counts) == {CHEM24, QY, CNCIC}
    # every seed figure is served with its quote
    assert rows(warehouse, "select count(*) from marts.figure_sources") == [(sum(seeded.values()),)]


def test_synonyms_map_report_wording_onto_one_taxonomy(warehouse):
    mapped = dict(
        rows(
            warehouse,
            """select segment_as_published, segment_key from marts.figure_sources
                                     where report_id = ? and metric = 'share'""",
            QY,
        )
    )
    assert mapped["synthetic graphite"] == "artificial_graphite"
    assert mapped["silicon anodes"] == "silicon_based"


def test_partial_split_is_stored_as_published_with_an_explicit_unallocated_row(warehouse):
    stated = [
        qy_number(r"synthetic graphite made up ([\d.]+)%"),
        qy_number(r"Natural graphite made up ([\d.]+)%"),
        qy_number(r"Silicon anodes made up ([\d.]+)%"),
    ]
    split = dict(
        (r[0], r[1:])
        for r in rows(
            warehouse,
            """
        select segment_key, share_pct, share_basis, derivation from marts.market_by_type_year
        where report_id = ? and market_year = 2020""",
            QY,
        )
    )
    assert sorted(v[0] for k, v in split.items() if v[1] == "reported") == sorted(stated)
    share, basis, derivation = split["unallocated"]
    assert basis == "derived" and share == pytest.approx(100 - sum(stated))  # 3.1 of 96.9
    assert "100 - sum of the shares" in derivation
    # nothing was spread over the stated segments
    assert split["artificial_graphite"][0] == stated[0]


def test_segment_growth_implied_by_shares_is_flagged_against_the_stated_rate(warehouse):
    total_2020, total_2027 = qy_number(r"US\$([\d.]+) billion in 2020"), qy_number(r"US\$([\d.]+) billion in 2027")
    share_2020, share_2027 = (
        qy_number(r"Silicon anodes made up ([\d.]+)%"),
        qy_number(r"silicon anodes are expected to hold ([\d.]+)%"),
    )
    stated = qy_number(r"grow ([\d.]+)% per year")
    implied = ((share_2027 * total_2027) / (share_2020 * total_2020)) ** (1 / 7) * 100 - 100
    (row,) = rows(
        warehouse,
        """select stated_cagr_pct, implied_cagr_pct, implied_basis, agrees_within_tolerance
                                from marts.cagr_check where report_id = ? and segment_key = 'silicon_based'""",
        QY,
    )
    assert row[0] == stated == 76.6
    assert row[1] == pytest.approx(implied) and round(implied, 1) == 67.6
    assert row[2:] == ("derived", False)


def test_compare_mart_sets_overlapping_estimates_side_by_side(warehouse):
    compared = rows(
        warehouse,
        """
        select figure_year, report_ids, estimates, reports_disagree, comparison_status
        from marts.market_estimates_compared
        where metric = 'market_value' and dimension = 'total' and region_key = 'global' and report_count = 2
        order by figure_year""",
    )
    assert [r[0] for r in compared] == [2024, 2025, 2026, 2027]  # where the two reports' series overlap
    for _year, report_ids, estimates, _disagree, status in compared:
        assert report_ids == f"{CHEM24},{QY}" and status == "compared"
        assert f"{CHEM24}=" in estimates and f"{QY}=" in estimates
    year_2024 = dict(
        rows(
            warehouse,
            """select report_id, value from marts.market_figures
                                        where metric = 'market_value' and dimension = 'total' and figure_year = 2024""",
        )
    )
    ((spread, disagree),) = rows(
        warehouse,
        """select relative_spread_pct, reports_disagree from marts.market_estimates_compared
                                             where metric = 'market_value' and figure_year = 2024 and region_key = 'global'""",
    )
    low, high = sorted(year_2024.values())
    assert spread == pytest.approx((high - low) / ((high + low) / 2) * 100) and disagree is True


def test_volumes_are_never_compared_with_money_and_the_mart_says_why(warehouse):
    volume_rows = rows(
        warehouse,
        """select report_ids, comparison_status, not_compared_reason, unit_key
                                     from marts.market_estimates_compared where metric = 'volume' and figure_year = 2024""",
    )
    assert volume_rows
    for report_ids, status, reason, unit in volume_rows:
        assert report_ids == CNCIC and status == "single estimate" and unit == "tons"
        assert "volumes are never compared with money" in reason and CHEM24 in reason
    # China-only figures (tons, and shares of China) are never set beside global ones
    assert rows(
        warehouse,
        "select count(*) from marts.market_estimates_compared where report_ids like ? and report_count > 1",
        f"%{CNCIC}%",
    ) == [(0,)]
    assert rows(warehouse, "select distinct unit_key from marts.market_estimates_compared where report_ids = ? order by 1", CNCIC) == [
        ("percent",),
        ("tons",),
    ]


def test_currency_is_kept_as_published_and_volumes_carry_no_currency(warehouse):
    units = set(
        rows(
            warehouse,
            "select distinct report_id, unit_key, currency, quantity from marts.market_figures where metric in ('market_value', 'volume')",
        )
    )
    assert (CNCIC, "tons", None, "mass") in units
    assert (QY, "usd_bn", "USD", "money") in units


def test_type_by_region_exists_as_not_reported_where_no_report_states_both_splits(warehouse):
    ((total, not_reported, estimated),) = rows(
        warehouse,
        """
        select count(*), count(*) filter (where basis = 'not_reported'), count(estimated_value)
        from marts.market_by_type_region_year where report_id = ?""",
        CHEM24,
    )
    assert (total, not_reported, estimated) == (5 * 5 * 9, 5 * 5 * 9, 0)


def test_ranges_and_qualifiers_are_kept(warehouse):
    cost = dict(rows(warehouse, "select qualifier, value from marts.market_figures where metric = 'cost_share'"))
    assert cost == {"range_min": 5, "range_max": 15}
    ((qualifier, value, year),) = rows(
        warehouse,
        """select qualifier, value, figure_year from marts.market_figures
                                                   where report_id = ? and segment_key = 'graphite'""",
        CNCIC,
    )
    assert (qualifier, value, year) == ("more than", 90, None)
