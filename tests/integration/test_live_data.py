"""The project's own data, built: a copy of the checkout with its live seeds/ and reports/ refreshes and
publishes, every served reported value traces to its quote in the stored document, and every
acknowledgement matches a finding of the build. Generic over whatever the checkout holds (any number
of reports, markets, acknowledgements); the cheap checks of the same data without a build are
tests/unit/test_live_data.py. One refresh serves every test here."""

from __future__ import annotations

import duckdb
import pytest

from marketwh.curation.documents import read_report_document
from tests.helpers import REPO, copy_project, file_digest, read_csv, run_marketwh


@pytest.fixture(scope="module")
def live_project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("live") / "project", data=REPO)
    result = run_marketwh(root, "refresh")
    # a refresh publishes only when every report validates and builds, no blocking finding is open and
    # no acknowledgement is stale: this line is "the live data loads"
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def _served(root, sql: str) -> list[dict]:
    con = duckdb.connect(str(root / "build" / "warehouse.duckdb"), read_only=True)
    try:
        frame = con.execute(sql).df()
    finally:
        con.close()
    return frame.to_dict("records")


def test_every_active_report_is_served_with_the_document_it_was_built_from(live_project):
    active = {r["report_id"]: r for r in read_csv(live_project / "seeds" / "reports.csv") if r["status"] == "active"}
    served = {r["report_id"]: r for r in _served(live_project, "select report_id, document_sha256 from marts.reports")}
    assert set(active) <= set(served)
    for report_id, report in active.items():
        assert served[report_id]["document_sha256"] == report["document_sha256"] == file_digest(live_project / report["document_path"])


def test_every_served_reported_value_traces_to_its_quote_in_the_stored_document(live_project):
    columns = "figure_id, value, value_as_published, quote, document_path"
    # a figure the document quotes from another publisher is served as that publisher's estimate
    sources = _served(live_project, f"select {columns} from marts.figure_sources union all select {columns} from marts.cited_estimates")
    seeded = {r["figure_id"]: r for r in read_csv(live_project / "seeds" / "report_figures.csv")}
    assert sorted(s["figure_id"] for s in sources) == sorted(seeded)  # every curated figure is served once, and nothing else
    texts = {path: read_report_document(live_project / path).text for path in {s["document_path"] for s in sources}}
    for source in sources:
        assert source["value_as_published"] in source["quote"], source["figure_id"]
        assert source["quote"] in texts[source["document_path"]], source["figure_id"]
        assert source["value"] == pytest.approx(float(seeded[source["figure_id"]]["value"])), source["figure_id"]


def test_every_acknowledgement_matches_a_finding_of_the_build(live_project):
    acknowledged = {r["finding_key"] for r in read_csv(live_project / "seeds" / "finding_acknowledgements.csv")}
    findings = {f["finding_key"]: f for f in _served(live_project, "select finding_key, severity, status from marts.report_findings")}
    assert acknowledged <= set(findings), sorted(acknowledged - set(findings))
    assert all(findings[key]["status"] == "acknowledged" for key in acknowledged)
    # nothing blocking is left open in what is served
    assert [key for key, f in findings.items() if f["severity"] == "blocking" and f["status"] != "acknowledged"] == []
