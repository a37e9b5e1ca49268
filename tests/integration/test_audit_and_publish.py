"""Audit and publish scenarios on a copy of the shared refreshed project, running only the audit and
publish part of the refresh job in process (tests/audit_and_publish.py) instead of a whole `marketwh
refresh`: the candidate is a copy of the served build, changed on purpose where a scenario needs it.
The dbt build that leads up to it is proven once by the shared refresh and by the end-to-end scenarios
(test_refresh_dagster.py: a CAGR restated in the seeds, blocked, acknowledged and published).

A bad candidate never reaches a BI user: the served file stays byte-identical; a good one is published
with the previous build kept as the rollback copy."""

from __future__ import annotations

import duckdb

from marketwh.paths import ServedPaths
from tests.helpers import audit_and_publish, file_digest, run_marketwh, stage_candidate


def served(root):
    return root / "build" / "warehouse.duckdb"


def served_run_id(root) -> str:
    con = duckdb.connect(str(served(root)), read_only=True)
    try:
        ((run_id,),) = con.execute("select run_id from marts.warehouse_build").fetchall()
    finally:
        con.close()
    return run_id


def test_publishing_keeps_the_previous_build_as_rollback(published_project):
    root = published_project
    before, before_run = file_digest(served(root)), served_run_id(root)
    outcome = audit_and_publish(root)
    assert outcome["success"] and outcome["published"], outcome
    assert {"audits/audit_split_sums", "served_warehouse", "served/marts/market_figures"} <= set(outcome["assets"])
    assert not [key for key in outcome["assets"] if key.split("/")[0] in ("seeds", "staging", "intermediate", "marts")]
    assert file_digest(served(root).with_name("warehouse.previous.duckdb")) == before
    assert served_run_id(root) == outcome["run_id"] != before_run  # the new build is served, stamped with its run
    assert not (served(root).parent / ".candidate" / served(root).name).exists()


def test_share_set_summing_to_112_blocks_publishing_and_leaves_served_file_unchanged(published_project):
    root = published_project
    shares = {"natural_graphite": 40, "artificial_graphite": 30, "activated_carbon": 20, "carbon_black": 12, "other": 10}
    assert sum(shares.values()) == 112
    candidate = stage_candidate(served(root), served(root), run_id="shares-112")
    con = duckdb.connect(str(candidate))
    for segment, share in shares.items():
        con.execute(
            """update marts.market_by_type_year set share_pct = ?, share_basis = 'reported'
               where report_id = 'chem24_anode_2025' and segment_key = ? and market_year = 2024""",
            [share, segment],
        )
    con.close()
    before = file_digest(served(root))
    outcome = audit_and_publish(root)
    assert not outcome["published"] and not outcome["success"], outcome
    shares_check = outcome["checks"]["gx_shares_suite"]  # split sums are owned by the shares audit
    assert (shares_check["passed"], shares_check["severity"]) == (False, "ERROR"), shares_check
    assert file_digest(served(root)) == before
    duckdb.connect(str(served(root)), read_only=True).close()  # still openable


def test_a_step_failing_after_the_publish_is_reported_as_published_then_failed(published_project):
    root = published_project
    site_before = ServedPaths(served(root)).site.resolve()
    outcome = audit_and_publish(root, MARKETWH_FAILPOINTS="site=raise")
    assert outcome["published"] and not outcome["success"], outcome
    assert outcome["failed_steps"] == ["served__report_site"], outcome  # the site, after the publish
    assert served_run_id(root) == outcome["run_id"]  # the new build is served
    assert ServedPaths(served(root)).site.resolve() == site_before  # the site still describes what it described
    status = run_marketwh(root, "status")
    assert status.returncode == 1  # monitoring sees the failed step
    assert "published this build, then failed in a step after the publish" in status.stderr, status.stdout + status.stderr
    assert "BI tools read the previous build" not in status.stderr
