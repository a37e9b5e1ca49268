"""`marketwh register` writes a report's row from its document's front matter and sha256, keeps the
curated columns when the document changes, asks for nothing it can read, and refuses what is not a
document of reports/; `--edition-sequence` orders editions their printed dates cannot, and is never
asked. Every test runs on a scratch copy of the fixture project, never the live seeds."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from marketwh.curation.register import register_report
from marketwh.curation.validation import validate_project
from marketwh.errors import MarketWarehouseError
from marketwh.paths import ProjectPaths
from tests.helpers import copy_project, project_env, read_csv

CNCIC = "reports/china-anode-shipments-cncic-2022.md"
QY = "reports/anode-market-qy-research-2021.md"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "p")


def _drop_row(root, document_path: str) -> tuple[bytes, dict[str, str]]:
    """Remove the row of one document from the copy's reports seed; (the seed's bytes before, the row)."""
    seed = root / "seeds" / "reports.csv"
    before = seed.read_bytes()
    (row,) = [r for r in read_csv(seed) if r["document_path"] == document_path]
    kept = [line for line in before.decode().splitlines(keepends=True) if f",{document_path}," not in line]
    seed.write_text("".join(kept), encoding="utf-8")
    return before, row


def _curated(row: dict[str, str]) -> dict[str, str | None]:
    columns = ("report_id", "series_id", "edition", "publisher_label", "geography", "market", "currency")
    years = ("history_start_year", "base_year", "forecast_start_year", "forecast_end_year")
    return {column: row[column] for column in (*columns, *years)}


def test_a_new_document_is_registered_with_its_front_matter_and_sha256(project):
    before, row = _drop_row(project, CNCIC)  # the last row: registering it again must give the same bytes
    assert not validate_project(ProjectPaths(project)).ok  # its figures now name an unknown report
    done = register_report(ProjectPaths(project), project / CNCIC, _curated(row))
    written = next(r for r in read_csv(project / "seeds" / "reports.csv") if r["report_id"] == row["report_id"])
    assert done.created and done.line == 4
    assert written["document_sha256"] == hashlib.sha256((project / CNCIC).read_bytes()).hexdigest()
    assert written["date_published"] == "2022-12-06" and written["currency"] == "" and written["status"] == "active"
    assert written["title"] == "Development of China's Anode Material Industry (shipment volumes, 2016-2026)"
    assert (project / "seeds" / "reports.csv").read_bytes() == before  # column order, quoting and line ends as the seed has them
    assert validate_project(ProjectPaths(project)).errors == []


def test_an_edited_document_updates_hash_and_front_matter_and_keeps_curated_columns(project):
    seed = project / "seeds" / "reports.csv"
    before, before_lines = read_csv(seed), seed.read_bytes().splitlines(keepends=True)
    document = project / QY
    text = document.read_text(encoding="utf-8").replace('date_published: ""', 'date_published: "2021-03-02"')
    document.write_text(text + "\n## Note\nA sentence added by a later reading.\n", encoding="utf-8")
    assert not validate_project(ProjectPaths(project)).ok  # hash and front matter disagree with the row
    done = register_report(ProjectPaths(project), document, {column: None for column in _curated(before[0])})
    after = read_csv(seed)
    (old,) = [r for r in before if r["document_path"] == QY]
    (new,) = [r for r in after if r["document_path"] == QY]
    assert not done.created and done.line == 3 and set(done.changed) == {"document_sha256", "date_published"}
    assert new["document_sha256"] == hashlib.sha256(document.read_bytes()).hexdigest() != old["document_sha256"]
    assert new["date_published"] == "2021-03-02"
    assert {k: v for k, v in new.items() if k not in done.changed} == {k: v for k, v in old.items() if k not in done.changed}
    after_lines = seed.read_bytes().splitlines(keepends=True)  # every other row keeps its bytes
    assert len(after_lines) == len(before_lines) and [a == b for a, b in zip(after_lines, before_lines, strict=True)] == [
        True,
        True,
        False,
        True,
    ]
    assert validate_project(ProjectPaths(project)).errors == []
    again = register_report(ProjectPaths(project), document, {})
    assert again.changed == {} and read_csv(seed) == after


def test_missing_values_without_a_terminal_are_named_and_nothing_is_written(project):
    before, _ = _drop_row(project, CNCIC)
    seed_now = (project / "seeds" / "reports.csv").read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "marketwh.cli", "register", CNCIC, "--report-id", "cncic_2022", "--market", "anode_materials"],
        cwd=project,
        env=project_env(project),
        stdin=subprocess.DEVNULL,  # not a terminal: nothing may be asked
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "--series-id" in run.stderr and "--base-year" in run.stderr and "--currency" in run.stderr
    assert "\n  --report-id" not in run.stderr and "\n  --market" not in run.stderr  # what was given is not asked for
    assert (project / "seeds" / "reports.csv").read_bytes() == seed_now != before


def test_a_row_breaking_a_report_rule_is_not_written(project):
    _, row = _drop_row(project, CNCIC)
    seed = (project / "seeds" / "reports.csv").read_bytes()
    values = {**_curated(row), "base_year": str(int(row["forecast_start_year"]) + 1)}
    with pytest.raises(MarketWarehouseError, match=r"nothing written(.|\n)*\[report_years\]"):
        register_report(ProjectPaths(project), project / CNCIC, values)
    with pytest.raises(MarketWarehouseError, match="--market 'lithium': not a market_key"):
        register_report(ProjectPaths(project), project / CNCIC, {**values, "market": "lithium"})
    with pytest.raises(MarketWarehouseError, match=r"--report-id 'cncic2/\.\./\.\./escaped': column report_id: .* is not an identifier"):
        register_report(ProjectPaths(project), project / CNCIC, {**_curated(row), "report_id": "cncic2/../../escaped"})
    assert (project / "seeds" / "reports.csv").read_bytes() == seed


def test_a_document_outside_reports_is_refused(project, tmp_path):
    seed = (project / "seeds" / "reports.csv").read_bytes()
    elsewhere = project / "drafts" / "copy.md"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes((project / CNCIC).read_bytes())
    (project / "reports" / "linked.md").symlink_to(elsewhere)
    for path in (elsewhere, project / "reports" / ".." / "drafts" / "copy.md", project / "reports" / "linked.md"):
        with pytest.raises(MarketWarehouseError, match="not a file inside reports/"):
            register_report(ProjectPaths(project), path, {"report_id": "copy"})
    assert (project / "seeds" / "reports.csv").read_bytes() == seed


def test_a_person_is_asked_only_what_the_front_matter_cannot_say_and_never_offered_a_year(project):
    _, row = _drop_row(project, CNCIC)
    asked = []

    def ask(question):
        asked.append(question)
        assert question.check("") is None or question.column not in ("history_start_year", "currency")
        if question.column == "market":
            assert question.check("lithium") and question.check("anode_materials") is None
        return row[question.column] if question.default is None else question.default

    done = register_report(ProjectPaths(project), project / CNCIC, {"series_id": row["series_id"], "edition": row["edition"]}, ask)
    by_column = {q.column: q for q in asked}
    assert set(by_column) == {
        *("report_id", "publisher_label", "geography", "market", "currency", "licence", "reuse_permitted"),
        *[c for c in row if c.endswith("_year")],
    }
    # the terms of use state no licence: none-stated is offered, and with it no reuse
    assert (by_column["licence"].default, by_column["reuse_permitted"].default) == ("none-stated", "false")
    assert by_column["report_id"].default == "china_anode_shipments_cncic_2022"  # from the file name
    assert by_column["geography"].default == "china"  # the title names China
    assert all(by_column[c].default is None for c in by_column if c.endswith("_year") or c == "currency")
    assert done.row["report_id"] == "china_anode_shipments_cncic_2022" and done.row["base_year"] == row["base_year"]


def test_a_report_id_is_neither_renamed_nor_given_to_a_second_document(project):
    document = project / "reports" / "second-copy.md"
    document.write_bytes((project / QY).read_bytes())
    with pytest.raises(MarketWarehouseError, match=r"already names reports/anode-market-qy-research-2021\.md"):
        register_report(ProjectPaths(project), document, {"report_id": "qy_battery_anode_2021"})
    with pytest.raises(MarketWarehouseError, match="is not renamed"):
        register_report(ProjectPaths(project), project / QY, {"report_id": "qy_renamed"})
    os.remove(document)


def _another_edition(root, name: str, printed: str) -> str:
    """A later document of the CNCIC series: the same front matter but its date as `printed`, and one more line."""
    text = (root / CNCIC).read_text(encoding="utf-8").replace('date_published: "2022-12-06"', f'date_published: "{printed}"')
    (root / "reports" / name).write_text(text + "\nA line the later edition adds.\n", encoding="utf-8")
    return f"reports/{name}"


def test_edition_sequence_orders_two_editions_their_printed_dates_cannot_and_is_never_asked(project):
    paths, seed = ProjectPaths(project), project / "seeds" / "reports.csv"
    (cncic,) = [r for r in read_csv(seed) if r["document_path"] == CNCIC]
    december = _another_edition(project, "cncic-december.md", "2022-12")  # December 2022 covers 6 December: a tie
    edition = {**_curated(cncic), "report_id": "cncic_december", "licence": cncic["licence"], "reuse_permitted": cncic["reuse_permitted"]}
    before = seed.read_bytes()
    with pytest.raises(MarketWarehouseError, match=r"\[edition_order_unknown\]"):
        register_report(paths, project / december, edition)
    with pytest.raises(MarketWarehouseError, match="--edition-sequence 'second': column edition_sequence: "):
        register_report(paths, project / december, {**edition, "edition_sequence": "second"})
    assert seed.read_bytes() == before

    first = register_report(paths, project / CNCIC, {"edition_sequence": "1"})
    assert first.changed == {"edition_sequence": ("", "1")}
    # through the command line: the option reaches the row
    options = [item for column, value in edition.items() for item in (f"--{column.replace('_', '-')}", value)]
    run = subprocess.run(
        [sys.executable, "-m", "marketwh.cli", "register", december, *options, "--edition-sequence", "2", "--no-input"],
        cwd=project,
        env=project_env(project),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and "edition_sequence: '2'" in run.stdout, run.stdout + run.stderr
    assert {r["report_id"]: r["edition_sequence"] for r in read_csv(seed) if r["series_id"] == cncic["series_id"]} == {
        cncic["report_id"]: "1",
        "cncic_december": "2",
    }
    assert register_report(paths, project / CNCIC, {}).changed == {}  # kept when not given

    # a sequence against the dates is refused even when the validator reports it at the other edition's line
    january = _another_edition(project, "cncic-january.md", "2023-01")
    asked = []
    third = register_report(
        paths, project / january, {**edition, "report_id": "cncic_january", "edition_sequence": "3"}, ask=lambda q: asked.append(q) or ""
    )
    assert third.created and third.row["edition_sequence"] == "3" and asked == []  # an option only, never a question
    written = seed.read_bytes()
    with pytest.raises(MarketWarehouseError, match=r"\[edition_sequence_contradicts_dates\]"):
        register_report(paths, project / CNCIC, {"edition_sequence": "9"})
    assert seed.read_bytes() == written
    with pytest.raises(MarketWarehouseError, match=r"\[edition_order_unknown\]"):  # the tie with December still needs it
        register_report(paths, project / CNCIC, {"edition_sequence": ""})
    assert seed.read_bytes() == written
    cleared = register_report(paths, project / january, {"edition_sequence": ""})  # January's date orders it: not needed
    assert cleared.changed == {"edition_sequence": ("3", "")}
