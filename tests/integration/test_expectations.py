"""The audit rules catch what they promise, judged once in dbt, and the GX gate blocks on exactly the
open blocking findings, with the failing rows in its result.

Each scenario breaks a copy of the refreshed warehouse where the audits read it (a mart, an intermediate
table, the loaded acknowledgements), lets dbt judge it again (the audit views are views; dbt rebuilds
report_findings and audit_results, or the models from the changed table on), then runs the GX suites."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from expectations.run import run_suites
from marketwh.dbtrun import dbt_command
from marketwh.paths import ProjectPaths
from tests.helpers import project_env, report_text_numbers

FINDINGS_MODELS = "report_findings audit_results"


@pytest.fixture
def warehouse_copy(refreshed_project, tmp_path):
    path = tmp_path / "candidate.duckdb"
    shutil.copy2(ProjectPaths(refreshed_project).default_served_db, path)
    path.chmod(0o644)
    return path


def judge_again(root: Path, db: Path, select: str = FINDINGS_MODELS, verb: str = "run") -> subprocess.CompletedProcess:
    """dbt `verb` of the selected models (and, for build, their tests) of the project at `root` on `db`."""
    target = db.parent / "target"
    saved = root / "build" / "dbt" / "target" / "partial_parse.msgpack"
    if saved.exists():  # the refresh's parse: dbt parses only what changed since
        target.mkdir(exist_ok=True)
        shutil.copyfile(saved, target / saved.name)
    command = dbt_command(
        str(Path(sys.executable).parent / "dbt"),
        verb,
        root,
        target,
        "--vars",
        f"{{duckdb_path: '{db}', curated_dir: '{root / 'seeds'}'}}",
        "--select",
        *select.split(),
        "--log-path",
        str(db.parent / "logs"),
    )
    return subprocess.run(command, cwd=root, env=project_env(root), capture_output=True, text=True, timeout=600)


def rejudged(root, db, select: str = FINDINGS_MODELS):
    result = judge_again(root, db, select)
    assert result.returncode == 0, result.stdout[-3000:]
    return {result.suite: result for result in run_suites(db)}


def change(db, sql: str, *params) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(sql, list(params))
    finally:
        con.close()


def set_type_shares(path, shares: dict[str, float], year: int = 2024):
    for segment, share in shares.items():
        change(
            path,
            # a share as printed to its units: the interval it stands for is +-0.5
            """update marts.market_splits set share_pct = ?, share_low_pct = ? - 0.5, share_high_pct = ? + 0.5,
               share_basis = 'reported'
               where report_id = 'chem24_anode_2025' and dimension = 'type' and segment_key = ? and market_year = ?""",
            share,
            share,
            share,
            segment,
            year,
        )


def findings_of(db, sql: str = "select * from marts.report_findings") -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).df().to_dict("records")
    finally:
        con.close()


def test_the_published_warehouse_passes_every_blocking_rule(refreshed_project, warehouse_copy):
    results = {result.suite: result for result in run_suites(warehouse_copy)}
    assert set(results) == {"shares", "growth", "figures"}
    assert all(r.passed and r.severity == "warn" for r in results.values()), [r.failures for r in results.values()]
    # the one advisory finding is the report's own: QY's silicon growth (see test_many_reports)
    findings = [(f["rule"], f["severity"], f["status"], f["subject"]) for r in results.values() for f in r.findings]
    assert findings == [("segment_growth_matches_shares", "advisory", "open", "qy21-006")]
    assert all(result.rows_checked > 0 for result in results.values())


def test_complete_split_summing_to_112_fails_the_shares_suite_with_the_split(refreshed_project, warehouse_copy):
    set_type_shares(
        warehouse_copy,
        {"natural_graphite": 40, "artificial_graphite": 30, "activated_carbon": 20, "carbon_black": 12, "other": 10},
    )
    shares = rejudged(refreshed_project, warehouse_copy)["shares"]
    assert not shares.passed and shares.severity == "error"
    (failure,) = [f for f in shares.failures if f["rule"] == "complete_split_sums_to_100"]
    assert failure["finding_key"] == "complete_split_sums_to_100:chem24_anode_2025:type/global/2024"
    assert failure["stated_value"] == 112 and failure["status"] == "open" and failure["severity"] == "blocking"
    assert "natural_graphite=40" in failure["message"]
    (result,) = findings_of(warehouse_copy, "select * from marts.audit_results where check_name = 'complete_split_sums_to_100'")
    assert (result["outcome"], result["failing_row_count"], result["holds"]) == ("failed", 1, False)


def test_complete_split_summing_to_90_fails_but_a_partial_split_of_96_9_passes(refreshed_project, warehouse_copy):
    set_type_shares(
        warehouse_copy, {"natural_graphite": 40, "artificial_graphite": 30, "activated_carbon": 10, "carbon_black": 5, "other": 5}
    )
    assert any(f["rule"] == "complete_split_sums_to_100" for f in rejudged(refreshed_project, warehouse_copy)["shares"].failures)
    set_type_shares(warehouse_copy, {"natural_graphite": 76.3, "artificial_graphite": 19.4, "activated_carbon": 1.2}, year=2025)
    change(
        warehouse_copy,
        "update marts.market_splits set share_pct = null, share_low_pct = null, share_high_pct = null, share_basis = 'not_reported' "
        "where dimension = 'type' and market_year = 2024",
    )
    assert rejudged(refreshed_project, warehouse_copy)["shares"].passed


def test_partial_split_over_100_fails(refreshed_project, warehouse_copy):
    set_type_shares(warehouse_copy, {"natural_graphite": 70, "artificial_graphite": 40})
    failures = rejudged(refreshed_project, warehouse_copy)["shares"].failures
    assert [f["rule"] for f in failures] == ["partial_split_at_most_100"]


def test_stated_cagr_of_18_percent_fails_growth_with_both_rates_until_acknowledged(refreshed_project, warehouse_copy):
    # the report states 18 % where its values imply ~13.3 %: int_cagr_compared judges it, once (dbt runs
    # every model that reads the changed table, the stated rates' and values' models first)
    change(
        warehouse_copy,
        "update intermediate.int_figures_deduplicated set value = 18, value_low = 17.95, value_high = 18.05 "
        "where report_id = 'chem24_anode_2025' and metric_kind = 'rate'",
    )
    growth = rejudged(refreshed_project, warehouse_copy, "int_cagr_values+ int_cagr_spans+ int_cagr_falls+")["growth"]
    (failure,) = [f for f in growth.failures if f["rule"] == "stated_cagr_matches_implied"]
    assert failure["report_id"] == "chem24_anode_2025" and failure["severity"] == "blocking" and not growth.passed
    text = report_text_numbers()
    implied = ((text["end_value"] / text["start_value"]) ** (1 / 8) - 1) * 100
    assert failure["stated_value"] == 18 and failure["compared_value"] == pytest.approx(implied)
    shown = f"{implied:.6f}".rstrip("0")  # numbers in a message: rounded to 6 decimals, no trailing zeros
    assert "stated_cagr_pct=18," in failure["message"] and f"implied_cagr_pct={shown}," in failure["message"]
    # the gate reads the same verdict the served cagr_check shows
    ((agrees,),) = [
        tuple(row.values())
        for row in findings_of(
            warehouse_copy,
            "select agrees_within_tolerance from marts.cagr_check where report_id = 'chem24_anode_2025' and stated_cagr_pct = 18",
        )
    ]
    assert agrees is False

    # acknowledged: the finding stays, with its status; the gate passes
    change(
        warehouse_copy,
        "insert into seeds.finding_acknowledgements values (?, 'chem24_anode_2025', 'The document says so.', 'test', date '2026-11-25')",
        failure["finding_key"],
    )
    growth = rejudged(refreshed_project, warehouse_copy)["growth"]
    assert growth.passed
    (acknowledged,) = [f for f in growth.findings if f["finding_key"] == failure["finding_key"]]
    assert (acknowledged["status"], acknowledged["acknowledgement_reason"], acknowledged["acknowledged_on"]) == (
        "acknowledged",
        "The document says so.",
        "2026-11-25",
    )
    (result,) = findings_of(warehouse_copy, "select * from marts.audit_results where check_name = 'stated_cagr_matches_implied'")
    assert (result["outcome"], result["acknowledged_finding_count"], result["open_finding_count"]) == ("acknowledged", 1, 0)


def test_ranking_claim_contradicted_by_shares_fails(refreshed_project, warehouse_copy):
    for region, share in {"asia_pacific": 20, "europe": 50}.items():
        change(
            warehouse_copy,
            "update marts.market_splits set share_pct = ?, share_low_pct = ? - 0.5, share_high_pct = ? + 0.5, share_basis = 'reported' "
            "where dimension = 'region' and segment_key = ? and market_year = 2024",
            share,
            share,
            share,
            region,
        )
    failure = next(f for f in rejudged(refreshed_project, warehouse_copy)["growth"].failures if f["rule"] == "ranking_claims_hold")
    assert failure["finding_key"].endswith("/2024") and "segment_key=asia_pacific" in failure["message"]
    assert (failure["stated_value"], failure["compared_value"]) == (1, 2)


def test_acknowledged_advisory_is_kept_and_a_stale_acknowledgement_fails_the_build(refreshed_project, warehouse_copy):
    advisory = "segment_growth_matches_shares:qy_battery_anode_2021:qy21-006"
    gone = "stated_cagr_matches_implied:chem24_anode_2025:gone"
    for key, report in ((advisory, "qy_battery_anode_2021"), (gone, "chem24_anode_2025")):
        change(
            warehouse_copy,
            "insert into seeds.finding_acknowledgements values (?, ?, 'QY states it.', 'analyst', date '2026-11-25')",
            key,
            report,
        )
    built = judge_again(refreshed_project, warehouse_copy, f"{FINDINGS_MODELS} acknowledgements_match_findings", verb="build")
    assert built.returncode == 1
    assert "Failure in test acknowledgements_match_findings" in built.stdout and "Got 1 result" in built.stdout, built.stdout[-3000:]
    (finding,) = findings_of(warehouse_copy)
    assert (finding["finding_key"], finding["severity"], finding["status"]) == (advisory, "advisory", "acknowledged")
    # QY's text: silicon 1.2 % of US$3.2 billion in 2020, 10.1 % of US$14.1 billion in 2027, "grow 76.6% per year"
    implied = ((0.101 * 14.1) / (0.012 * 3.2)) ** (1 / 7) * 100 - 100
    assert finding["stated_value"] == 76.6 and finding["compared_value"] == pytest.approx(implied)
