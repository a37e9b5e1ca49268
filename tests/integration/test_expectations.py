"""The GX suites catch what they promise, with the failing rows in their result."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from expectations.run import run_suites
from marketwh.paths import ProjectPaths
from tests.helpers import report_text_numbers


@pytest.fixture
def warehouse_copy(refreshed_project, tmp_path):
    path = tmp_path / "candidate.duckdb"
    shutil.copy2(ProjectPaths(refreshed_project).default_served_db, path)
    return path


def set_type_shares(path, shares: dict[str, float], year: int = 2024):
    con = duckdb.connect(str(path))
    for segment, share in shares.items():
        con.execute(
            """update marts.market_by_type_year set share_pct = ?, share_basis = 'reported'
                       where report_id = 'chem24_anode_2025' and segment_key = ? and market_year = ?""",
            [share, segment, year],
        )
    con.close()


def by_suite(path):
    return {result.suite: result for result in run_suites(path)}


def test_the_published_warehouse_passes_every_blocking_rule(warehouse_copy):
    results = by_suite(warehouse_copy)
    assert set(results) == {"shares", "growth"}
    failures = [f for r in results.values() for f in r.failures]
    assert all(r.severity == "warn" for r in results.values()), [f.message for f in failures]
    # the one advisory finding is the report's own: QY's silicon growth (see test_many_reports)
    assert [(f.check, f.row["figure_id"]) for f in failures] == [("segment_growth_matches_shares", "qy21-006")]
    assert results["shares"].rows_checked > 0 and results["growth"].rows_checked > 0


def test_complete_split_summing_to_112_fails_the_shares_suite_with_the_split(warehouse_copy):
    set_type_shares(
        warehouse_copy,
        {"natural_graphite": 40, "artificial_graphite": 30, "activated_carbon": 20, "carbon_black": 12, "other": 10},
    )
    shares = by_suite(warehouse_copy)["shares"]
    assert not shares.passed and shares.severity == "error"
    failure = next(f for f in shares.failures if f.check == "complete_split_sums_to_100")
    assert failure.row["report_id"] == "chem24_anode_2025" and failure.row["market_year"] == 2024
    assert "natural_graphite=40" in failure.row["reported_shares"]


def test_complete_split_summing_to_90_fails_but_a_partial_split_of_96_9_passes(warehouse_copy):
    set_type_shares(
        warehouse_copy, {"natural_graphite": 40, "artificial_graphite": 30, "activated_carbon": 10, "carbon_black": 5, "other": 5}
    )
    assert any(f.check == "complete_split_sums_to_100" for f in by_suite(warehouse_copy)["shares"].failures)
    set_type_shares(warehouse_copy, {"natural_graphite": 76.3, "artificial_graphite": 19.4, "activated_carbon": 1.2}, year=2025)
    con = duckdb.connect(str(warehouse_copy))
    con.execute("update marts.market_by_type_year set share_pct = null, share_basis = 'not_reported' where market_year = 2024")
    con.close()
    assert by_suite(warehouse_copy)["shares"].passed


def test_partial_split_over_100_fails(warehouse_copy):
    set_type_shares(warehouse_copy, {"natural_graphite": 70, "artificial_graphite": 40})
    failures = by_suite(warehouse_copy)["shares"].failures
    assert [f.check for f in failures] == ["partial_split_at_most_100"]


def test_stated_cagr_of_18_percent_fails_growth_with_both_rates(warehouse_copy):
    con = duckdb.connect(str(warehouse_copy))
    con.execute("""update marts.cagr_check set stated_cagr_pct = 18, difference_pp = 18 - implied_cagr_pct
                   where report_id = 'chem24_anode_2025'""")
    con.close()
    growth = by_suite(warehouse_copy)["growth"]
    (failure,) = [f for f in growth.failures if f.check == "stated_cagr_matches_implied"]
    assert failure.row["report_id"] == "chem24_anode_2025" and failure.severity == "error"
    text = report_text_numbers()
    implied = ((text["end_value"] / text["start_value"]) ** (1 / 8) - 1) * 100
    assert failure.row["stated_cagr_pct"] == 18
    assert failure.row["implied_cagr_pct"] == pytest.approx(implied)
    assert "stated_cagr_pct=18" in failure.message and f"implied_cagr_pct={implied:.4g}" in failure.message


def test_ranking_claim_contradicted_by_shares_fails(warehouse_copy):
    con = duckdb.connect(str(warehouse_copy))
    for region, share in {"asia_pacific": 20, "europe": 50}.items():
        con.execute(
            """update marts.market_by_region_year set share_pct = ?, share_basis = 'reported'
                       where segment_key = ? and market_year = 2024""",
            [share, region],
        )
    con.close()
    failure = next(f for f in by_suite(warehouse_copy)["growth"].failures if f.check == "ranking_claims_hold")
    assert failure.row["segment_key"] == "asia_pacific" and failure.row["share_rank"] == 2


def test_findings_carry_acknowledgements_and_stale_ones_are_named(warehouse_copy):
    from expectations.findings import findings_of, stale_acknowledgements

    advisory = "segment_growth_matches_shares:qy_battery_anode_2021:qy21-006"
    acks = {
        advisory: {"reason": "QY states it.", "acknowledged_by": "analyst", "acknowledged_on": "2026-11-25"},
        "stated_cagr_matches_implied:chem24_anode_2025:gone": {"reason": "x", "acknowledged_by": "a", "acknowledged_on": "2026-11-25"},
    }
    findings = findings_of(run_suites(warehouse_copy), acks)
    (finding,) = findings
    assert (finding.finding_key, finding.severity, finding.status) == (advisory, "advisory", "acknowledged")
    # QY's text: silicon 1.2 % of US$3.2 billion in 2020, 10.1 % of US$14.1 billion in 2027, "grow 76.6% per year"
    implied = ((0.101 * 14.1) / (0.012 * 3.2)) ** (1 / 7) * 100 - 100
    assert finding.stated_value == 76.6 and finding.compared_value == pytest.approx(implied)
    assert stale_acknowledgements(findings, acks) == ["stated_cagr_matches_implied:chem24_anode_2025:gone"]
