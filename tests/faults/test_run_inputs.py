"""A refresh builds exactly what it validated (issue 23, class 2): seeds and documents edited in the
working tree while a refresh runs (between its validation and its dbt build) wait for the next run.
The refresh copies seeds/ and reports/ into its own snapshot before validating, and dbt, the build stamp,
the publish and the site read that copy (marketwh/inputs.py)."""

from __future__ import annotations

import hashlib
import json

import duckdb

from marketwh.paths import ProjectPaths, ServedPaths
from tests.faults.test_faults import served, start_refresh
from tests.helpers import read_csv, wait_until

MARKUP = "<img src=x onerror=alert(document.domain)>"  # no comma or double quote: the CSV stays well-formed


def test_inputs_edited_between_validation_and_dbt_wait_for_the_next_run(published_project, tmp_path):
    root = published_project
    reports = {r["report_id"]: r for r in read_csv(root / "seeds" / "reports.csv")}
    validated_hashes = {report_id: hashlib.sha256((root / r["document_path"]).read_bytes()).hexdigest() for report_id, r in reports.items()}
    figure = read_csv(root / "seeds" / "report_figures.csv")[0]
    report = reports[figure["report_id"]]
    document = root / report["document_path"]
    validated_text = document.read_text(encoding="utf-8")
    validated_seeds = {path.name: path.read_text(encoding="utf-8") for path in (root / "seeds").glob("*.csv")}

    go, log = tmp_path / "go", tmp_path / "refresh.log"
    process = start_refresh(root, log, MARKETWH_FAILPOINTS=f"dbt.before_build=wait:{go}")
    wait_until(lambda: "failpoint dbt.before_build: waiting" in log.read_text(), what="the refresh to pass its validation")
    # the attack, in the window: a quote becomes markup; a document is appended to and its new sha256
    # recorded, so the seeds agree with it (the next run's validation would judge both)
    figures = root / "seeds" / "report_figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(figure["quote"], MARKUP, 1), encoding="utf-8")
    document.write_text(validated_text + f"\nAppended after validation: {MARKUP}\n", encoding="utf-8")
    appended_hash = hashlib.sha256(document.read_bytes()).hexdigest()
    seed = root / "seeds" / "reports.csv"
    seed.write_text(seed.read_text(encoding="utf-8").replace(report["document_sha256"], appended_hash), encoding="utf-8")
    go.touch()
    assert process.wait(timeout=600) == 0, log.read_text()[-3000:]

    con = duckdb.connect(str(served(root)), read_only=True)
    try:
        quote = con.execute("select quote from marts.figure_sources where figure_id = ?", [figure["figure_id"]]).fetchall()
        marked = con.execute("select count(*) from marts.figure_sources where quote like '%<img%'").fetchall()
        stamp = con.execute("select report_hashes from marts.warehouse_build").fetchall()
    finally:
        con.close()
    assert quote == [(figure["quote"],)]  # the validated text is served, the markup is not
    assert marked == [(0,)]
    assert json.loads(stamp[0][0]) == validated_hashes  # the documents validated, not the appended one
    site_copy = ServedPaths(served(root)).site / "documents" / f"{figure['report_id']}.source.txt"
    assert site_copy.read_text(encoding="utf-8") == validated_text
    # the run's snapshot holds what it validated; old snapshots are pruned as runs go by
    snapshots = list(ProjectPaths(root).inputs_snapshots.iterdir())
    assert 1 <= len(snapshots) <= 3
    latest = max(snapshots, key=lambda p: p.stat().st_mtime)
    assert (latest / report["document_path"]).read_text(encoding="utf-8") == validated_text
    # and dbt left it as it was: its seeds are read, never written (dbt writes each seed's run SQL under
    # target/run/<the seed path>, which an absolute seed path turned into the seed file itself)
    assert {path.name: path.read_text(encoding="utf-8") for path in (latest / "seeds").glob("*.csv")} == validated_seeds
