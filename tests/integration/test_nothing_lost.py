"""Nothing served is lost silently: a refresh whose candidate drops a served report is refused; the
same report taken out on purpose (withdrawn, with a reason) publishes and stays visible as withdrawn.
Both runs rebuild only what the change touches and run the refresh job's gate and publish in process
(tests/scenarios.py)."""

from __future__ import annotations

import duckdb

from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import file_digest, read_csv, write_csv
from tests.scenarios import rebuild_and_publish

QY = "qy_battery_anode_2021"
# what the change touches: the curated figures and claims, the reports seed, and what descends from them
CHANGED = "source:curated.report_figures+ source:curated.report_claims+ reports+"


def drop_rows(path, report_id):
    rows = read_csv(path)
    write_csv(path, [row for row in rows if row["report_id"] != report_id])


def test_dropping_a_served_report_is_refused_and_withdrawing_it_publishes(published_project):
    root = published_project
    served = ProjectPaths(root).default_served_db
    before = file_digest(served)
    for seed in ("report_figures.csv", "report_claims.csv"):
        drop_rows(root / "seeds" / seed, QY)
    reports = read_csv(root / "seeds" / "reports.csv")
    write_csv(root / "seeds" / "reports.csv", [row for row in reports if row["report_id"] != QY])
    # its document goes with it (a document nobody registers is a validation problem of its own)
    (document,) = [root / row["document_path"] for row in reports if row["report_id"] == QY]
    kept = document.read_bytes()
    document.unlink()
    assert validate_project(ProjectPaths(root)).ok  # each seed is valid on its own (what `marketwh validate` runs)

    refused = rebuild_and_publish(root, CHANGED)
    assert not refused.published
    failed = [line for line in refused.failed_checks if "candidate_keeps_served_data" in line]
    assert failed, refused.summary()
    line = failed[0]
    assert f"report '{QY}' is served and is gone from the candidate" in line and "withdrawn" in line
    assert file_digest(served) == before

    for row in reports:
        if row["report_id"] == QY:
            row.update(status="withdrawn", status_reason="Replaced by a newer edition (test).")
    write_csv(root / "seeds" / "reports.csv", reports)
    document.write_bytes(kept)
    published = rebuild_and_publish(root, CHANGED)
    assert published.success, published.summary()
    con = duckdb.connect(str(served), read_only=True)
    try:
        rows = con.execute(
            "select report_status, report_status_reason, reported_figure_count from marts.reports where report_id = ?", [QY]
        ).fetchall()
        figures = con.execute("select count(*) from marts.market_figures where report_id = ?", [QY]).fetchall()[0][0]
    finally:
        con.close()
    assert rows == [("withdrawn", "Replaced by a newer edition (test).", 0)] and figures == 0
