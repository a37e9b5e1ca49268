"""The project's own data, whatever it holds: every stored report validates and traces to its document.

These are the only unit tests that read the live seeds/ and reports/, and each is generic over them: it
holds for any number of reports, markets and acknowledgements, so adding a report never turns one red
unless the report itself is wrong. Tests about particular rows read the frozen fixture project instead
(tests/fixtures/README.md). That every acknowledgement matches a finding needs a build: see
tests/integration/test_live_data.py."""

from __future__ import annotations

import hashlib

import pytest

from marketwh.curation.documents import normalize_text, read_report_document
from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import REPO, read_csv

REPORTS = {row["report_id"]: row for row in read_csv(REPO / "seeds" / "reports.csv")}


def _document_text(report_id: str) -> str:
    return read_report_document(REPO / REPORTS[report_id]["document_path"]).text


def test_the_checked_in_seeds_and_documents_validate():
    result = validate_project(ProjectPaths(REPO))
    assert result.ok, "\n".join(map(str, result.errors))


@pytest.mark.parametrize("report_id", sorted(REPORTS))
def test_every_stored_report_loads_with_its_recorded_hash_and_full_origin(report_id):
    report = REPORTS[report_id]
    document = REPO / report["document_path"]
    assert hashlib.sha256(document.read_bytes()).hexdigest() == report["document_sha256"], report_id
    assert _document_text(report_id).strip(), f"{report_id}: empty document"
    for column in ("title", "publisher", "url", "date_accessed", "document_path", "document_sha256", "terms_of_use", "attribution"):
        assert report[column].strip(), f"{report_id}: {column} empty"


def test_every_reported_value_stands_in_its_quote_and_the_quote_in_the_document():
    texts = {report_id: _document_text(report_id) for report_id in REPORTS}
    for line, figure in enumerate(read_csv(REPO / "seeds" / "report_figures.csv"), start=2):
        where = f"seeds/report_figures.csv:{line}"
        assert figure["basis"] == "reported", where
        assert figure["value_as_published"] in figure["quote"], f"{where}: value not in quote"
        assert normalize_text(figure["quote"]) in texts[figure["report_id"]], f"{where}: quote not in document"


def test_every_claim_quote_stands_in_its_document():
    texts = {report_id: _document_text(report_id) for report_id in REPORTS}
    for line, claim in enumerate(read_csv(REPO / "seeds" / "report_claims.csv"), start=2):
        assert normalize_text(claim["quote"]) in texts[claim["report_id"]], f"seeds/report_claims.csv:{line}"


def test_every_acknowledgement_names_a_stored_report_and_gives_a_reason():
    # whether the finding still exists is known only after a build (tests/integration/test_live_data.py);
    # what the seeds alone can say: the report is stored and the key is one of its keys
    for line, row in enumerate(read_csv(REPO / "seeds" / "finding_acknowledgements.csv"), start=2):
        rule, report_id, subject = row["finding_key"].split(":", 2)
        assert report_id == row["report_id"] in REPORTS and rule and subject, f"seeds/finding_acknowledgements.csv:{line}"
        assert row["reason"].strip(), f"seeds/finding_acknowledgements.csv:{line}"
