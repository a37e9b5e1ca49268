"""The refresh runs through Dagster: validate, dbt build into a candidate, GX audits, publish.
A bad refresh never reaches a BI user: the served file stays byte-identical.

The refresh runs end to end once for the whole run (`refreshed_project`) and once more where a dbt test
fails (a stale acknowledgement); the audit and publish scenarios (rollback, a step failing after the
publish, shares summing to 112 %, a stated CAGR of 18 % and its acknowledgement) rebuild only what their
change touches and run the gate and the publish of the refresh job in process (tests/scenarios.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from marketwh.paths import ProjectPaths, ServedPaths
from tests.helpers import (
    REPO,
    add_sentence_to_document,
    append_seed_row,
    file_digest,
    project_env,
    read_csv,
    report_text_numbers,
    restate_in_document,
    run_events,
    run_marketwh,
)
from tests.scenarios import SCENARIO_TRIGGER, rebuild_and_publish

# what a scenario that changes the curated figures and a document rebuilds (the document's hash is in reports)
CHANGED_FIGURES = "source:curated.report_figures+ source:curated.report_claims+ reports+"


def served(root):
    return ProjectPaths(root).default_served_db


def test_refresh_publishes_an_audited_warehouse_with_its_build_info(refreshed_project):
    db = served(refreshed_project)
    con = duckdb.connect(str(db), read_only=True)
    try:
        ((run_id, commit, hashes),) = con.execute("select run_id, git_commit, report_hashes from marts.warehouse_build").fetchall()
        values = dict(
            con.execute("""select market_year, value from marts.market_size_by_year
                                     where basis = 'reported' and report_id = 'chem24_anode_2025'""").fetchall()
        )
    finally:
        con.close()
    text = report_text_numbers()
    assert values == {text["start_year"]: text["start_value"], text["end_year"]: text["end_value"]}
    documents = {
        r["report_id"]: file_digest(refreshed_project / r["document_path"]) for r in read_csv(refreshed_project / "seeds" / "reports.csv")
    }
    assert json.loads(hashes) == documents
    status = run_marketwh(refreshed_project, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    # the last attempt: when, by what, its outcome; the advisories and open findings; how old the served data is
    started = r"started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
    assert re.search(rf"last refresh attempt: run {run_id}, command marketwh refresh, {started}: SUCCESS", status.stdout), status.stdout
    advisories = [line for line in status.stdout.splitlines() if line.startswith("  advisory (not blocking): ")]
    assert advisories and all("gx_growth_advisories" in line for line in advisories)
    assert f"{len(advisories)} open (0 blocking, {len(advisories)} advisory), 0 acknowledged" in status.stdout
    assert re.search(r"age: (under a minute|(\d+ (d|h|min) ?)+) since it was built", status.stdout), status.stdout
    assert len(run_id) == 36 and commit
    assert not (db.parent / ".candidate" / db.name).exists()  # the candidate became the served file
    # the build reused the parse the manifest was written with: dbt parsed only what changed since
    build_log = (ProjectPaths(refreshed_project).dbt_runs / run_id / "dbt.log").read_text(encoding="utf-8")
    assert "Unable to do partial parsing" not in build_log and "Partial parsing enabled" in build_log
    # everything generated is under build/ (make clean removes it): nothing beside the dbt sources
    generated = {path.name for path in (refreshed_project / "dbt").iterdir()} - {path.name for path in (REPO / "dbt").iterdir()}
    assert generated == set() and not (refreshed_project / "dbt" / "target").exists()


def test_second_publish_keeps_the_previous_file_as_rollback(published_project):
    before = file_digest(served(published_project))
    outcome = rebuild_and_publish(published_project, "")  # only the build stamp changes
    assert outcome.success and outcome.published, outcome.summary()
    rollback = served(published_project).with_name("warehouse.previous.duckdb")
    assert file_digest(rollback) == before
    assert file_digest(served(published_project)) != before  # a new run id was stamped
    assert served_run(published_project) == outcome.run_id


def served_run(root) -> str:
    con = duckdb.connect(str(served(root)), read_only=True)
    try:
        ((run_id,),) = con.execute("select run_id from marts.warehouse_build").fetchall()
    finally:
        con.close()
    return run_id


def test_a_step_failing_after_the_publish_is_reported_as_published_then_failed(published_project):
    root = published_project
    site_before = ServedPaths(served(root)).site.resolve()
    outcome = rebuild_and_publish(root, "", site=True, MARKETWH_FAILPOINTS="site=raise")
    assert not outcome.success and outcome.published, outcome.summary()
    assert [step.split(":")[0] for step in outcome.failed_steps] == ["served__report_site"]
    assert f"published {served(root)}" in outcome.summary()
    assert served_run(root) == outcome.run_id  # the new build is served
    assert ServedPaths(served(root)).site.resolve() == site_before  # the site still describes what it described
    status = run_marketwh(root, "status")
    assert status.returncode == 1  # monitoring sees the failed step
    assert "published this build, then failed in a step after the publish" in status.stderr, status.stdout + status.stderr
    assert "BI tools read the previous build" not in status.stderr


def test_share_set_summing_to_112_blocks_publishing_and_leaves_served_file_unchanged(published_project):
    root = published_project
    shares = {"natural_graphite": 40, "artificial_graphite": 30, "activated_carbon": 20, "carbon_black": 12, "other": 10}
    assert sum(shares.values()) == 112
    for number, (segment, share) in enumerate(shares.items()):
        sentence = f"In 2024, {segment.replace('_', ' ')} held {share}% of the market."
        add_sentence_to_document(root, "chem24_anode_2025", sentence)
        append_seed_row(
            root / "seeds" / "report_figures.csv",
            figure_id=f"chem24-90{number}",
            report_id="chem24_anode_2025",
            metric="share",
            dimension="type",
            segment=segment,
            region="global",
            year="2024",
            value=str(share),
            unit="percent",
            value_as_published=f"{share}%",
            basis="reported",
            section="Test",
            quote=sentence,
        )
    assert run_marketwh(root, "validate").returncode == 0  # each row is valid on its own
    before = file_digest(served(root))
    outcome = rebuild_and_publish(root, CHANGED_FIGURES)
    assert not outcome.success and not outcome.published
    assert "nothing published" in outcome.summary()
    assert [line for line in outcome.failed_checks if "gx_shares_suite" in line], outcome.summary()  # split sums: the GX gate
    assert file_digest(served(root)) == before
    duckdb.connect(str(served(root)), read_only=True).close()  # still openable


def test_stated_cagr_of_18_percent_is_caught_with_both_rates(published_project):
    root = published_project
    text = report_text_numbers()
    restate_in_document(root, "chem24_anode_2025", f"{text['cagr']}%", "18%")
    rows = read_csv(root / "seeds" / "report_figures.csv")
    for row in rows:
        if row["metric"] == "cagr" and row["report_id"] == "chem24_anode_2025":
            row.update(value="18", value_as_published="18%")
    from tests.helpers import write_csv

    write_csv(root / "seeds" / "report_figures.csv", rows)
    assert run_marketwh(root, "validate").returncode == 0
    before = file_digest(served(root))
    outcome = rebuild_and_publish(root, CHANGED_FIGURES)
    assert not outcome.success and not outcome.published
    implied = ((text["end_value"] / text["start_value"]) ** (1 / (text["end_year"] - text["start_year"])) - 1) * 100
    failure = next(line for line in outcome.summary().splitlines() if "check failed" in line and "gx_growth_suite" in line)
    assert "stated_cagr_pct=18" in failure
    assert f"implied_cagr_pct={implied:.6f}".rstrip("0") + "," in failure  # 13.34 (a message rounds to 6 decimals)
    assert file_digest(served(root)) == before
    # monitoring sees it: status names the failed attempt, its trigger and check, and exits 1
    status = run_marketwh(root, "status")
    assert status.returncode == 1, status.stdout + status.stderr
    assert SCENARIO_TRIGGER in status.stdout and ": FAILURE" in status.stdout
    assert any("check failed" in line and "gx_growth_suite" in line and "stated_cagr_pct=18" in line for line in status.stdout.splitlines())
    assert "age:" in status.stdout  # the served data is still there, and how old it is
    # the asset model says what is published: the failed run served nothing
    materialized, checks = run_events(root, outcome.run_id)
    assert not [key for key in materialized if key.startswith("served")], materialized
    assert checks["gx_growth_suite"] == (False, "ERROR")

    # a document that disagrees with itself is the publisher's error: a finding with both numbers, and
    # the blocked refresh names its key and the command that accepts it
    key = "stated_cagr_matches_implied:chem24_anode_2025:" + next(
        r["figure_id"] for r in rows if r["metric"] == "cagr" and r["report_id"] == "chem24_anode_2025"
    )
    assert f"marketwh acknowledge {key}" in failure
    findings = run_marketwh(root, "findings")
    (line,) = [line for line in findings.stdout.splitlines() if line.startswith(key)]
    assert line.split()[1:3] == ["blocking", "open"] and "stated 18," in line and f"compared {implied:.6g}" in line
    acknowledged = run_marketwh(
        root, "acknowledge", key, "--reason", "The document states 18% beside values implying 13.34%.", "--by", "test"
    )
    assert acknowledged.returncode == 0, acknowledged.stderr
    assert run_marketwh(root, "validate").returncode == 0
    published = rebuild_and_publish(root, f"{CHANGED_FIGURES} finding_acknowledgements+")  # from what is served again
    assert published.success, published.summary()
    con = duckdb.connect(str(served(root)), read_only=True)
    try:
        ((status_value, stated, compared, reason),) = con.execute(
            "select status, stated_value, compared_value, acknowledgement_reason from marts.report_findings where finding_key = ?", [key]
        ).fetchall()
    finally:
        con.close()
    assert (status_value, stated, reason) == ("acknowledged", 18, "The document states 18% beside values implying 13.34%.")
    assert compared == pytest.approx(implied)


@pytest.mark.parametrize(
    "command",
    [["dagster", "definitions", "validate"], ["dg", "check", "defs"]],
    ids=["dagster-definitions-validate", "dg-check-defs"],
)
def test_definitions_load_on_a_fresh_clone_without_a_manual_step(project, command):
    """No `marketwh prepare` first: loading the definitions parses the dbt project itself."""
    assert not ProjectPaths(project).build_dir.exists()
    executable = str(Path(sys.executable).parent / command[0])
    env = {k: v for k, v in project_env(project).items() if k != "DAGSTER_HOME"}  # a newcomer has none set
    result = subprocess.run([executable, *command[1:]], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ProjectPaths(project).dbt_target / "manifest.json").exists()


def test_definitions_load_at_once_in_several_processes_on_a_fresh_clone(project):
    """The webserver's and the daemon's code servers (and a refresh) start together on a fresh clone:
    each loads the definitions, none reads a manifest another is still writing."""
    load = "from dagster_project.definitions import defs; print(len(defs().resolve_asset_graph().get_all_asset_keys()))"
    env = project_env(project)
    loaders = [
        subprocess.Popen([sys.executable, "-c", load], cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    results = [(loader.wait(timeout=300), *loader.communicate()) for loader in loaders]
    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err[-2000:] for _, _, err in results]
    assert len({out for _, out, _ in results}) == 1  # the same graph in every process
    assert not list(ProjectPaths(project).dbt_target.parent.glob("target.parse-*"))  # no scratch folder left behind


def test_definitions_hold_the_whole_graph(refreshed_project):
    from_env = project_env(refreshed_project)
    script = (
        "from dagster_project.definitions import defs\n"
        "defs = defs()\n"
        "g = defs.resolve_asset_graph()\n"
        "keys = {k.to_user_string() for k in g.get_all_asset_keys()}\n"
        "checks = {c.name for c in g.asset_check_keys}\n"
        "print(len(keys), 'marts/market_figures' in keys, 'served_warehouse' in keys, 'seeds/report_figures' in keys,\n"
        "      'gx_shares_suite' in checks, 'seeds_and_documents_valid' in checks, len(checks) > 50,\n"
        "      [s.name for s in defs.schedules], sorted(s.name for s in defs.sensors))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=refreshed_project, env=from_env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert (
        out.stdout.split(" ", 1)[1].strip()
        == "True True True True True True ['daily_refresh'] ['refresh_failed_alert', 'report_or_seed_changed']"
    )


def test_advisory_rules_have_their_own_non_blocking_check(refreshed_project):
    script = (
        "from dagster_project.definitions import defs\n"
        "g = defs().resolve_asset_graph()\n"
        "specs = {k.name: g.get_check_spec(k) for k in g.asset_check_keys if k.name.startswith('gx_')}\n"
        "print(sorted((name, spec.blocking) for name, spec in specs.items()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=refreshed_project,
        env=project_env(refreshed_project),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == (
        "[('gx_growth_advisories', False), ('gx_growth_suite', True), ('gx_shares_suite', True)]"
    )
    # the refresh that built this project published although QY's silicon growth finding failed its advisory check
    con = duckdb.connect(str(served(refreshed_project)), read_only=True)
    try:
        ((run_id,),) = con.execute("select run_id from marts.warehouse_build").fetchall()
    finally:
        con.close()
    materialized, checks = run_events(refreshed_project, run_id)
    assert checks["gx_growth_advisories"] == (False, "WARN")  # shown as a warning, not a failure
    assert checks["gx_growth_suite"] == (True, "ERROR") and checks["gx_shares_suite"] == (True, "ERROR")
    assert {"served_warehouse", "served/marts/market_figures", "served/marts/cagr_check"} <= materialized


def test_a_stale_acknowledgement_blocks_publishing(published_project):
    """An acknowledgement matching no finding of the build (the report or the rule changed, or the key was
    mistyped) fails the dbt test acknowledgements_match_findings: nothing is published until it is removed."""
    root = published_project
    seed = root / "seeds" / "finding_acknowledgements.csv"
    key = "stated_cagr_matches_implied:chem24_anode_2025:chem24-gone"
    with open(seed, "a", encoding="utf-8") as handle:
        handle.write(f"{key},chem24_anode_2025,The document says so.,test,2026-11-25\n")
    assert run_marketwh(root, "validate").returncode == 0  # a well-formed row: only the build knows it is stale
    before = file_digest(served(root))
    result = run_marketwh(root, "refresh")
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if "check failed" in line and "acknowledgements_match_findings" in line]
    assert failed and "seeds/finding_acknowledgements" in failed[0], result.stderr[-3000:]
    assert "nothing published" in result.stderr and file_digest(served(root)) == before
