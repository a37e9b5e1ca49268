"""Editions of a series are ordered by their printed publication dates, then by a declared
edition_sequence; a label may repeat; what cannot be ordered is refused (validation/editions.py)."""

from __future__ import annotations

import datetime as dt

from marketwh.curation.validation import validate_project
from marketwh.curation.validation.editions import printed_date
from marketwh.paths import ProjectPaths
from tests.helpers import append_seed_row, copy_project, edit_seed_row, read_csv


def test_a_printed_date_keeps_its_precision_and_the_days_it_can_mean():
    assert printed_date("2024-10-15") == printed_date("2024-10-15")
    month, year = printed_date("2024-02"), printed_date("2024")
    assert (month.precision, month.first, month.last) == ("month", dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert (year.precision, year.first, year.last) == ("year", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert printed_date("2024-12").last == dt.date(2024, 12, 31)
    assert [printed_date(bad) for bad in ("2024-13", "2024-02-30", "Oct 2024", "24", "2024-1")] == [None] * 5


def _second_edition(tmp_path, **changes: str) -> list[str]:
    """Errors of the fixture project with a second edition of the 24chem series (same document)."""
    root = copy_project(tmp_path / "project")
    reports = root / "seeds" / "reports.csv"
    (first,) = [row for row in read_csv(reports) if row["report_id"] == "chem24_anode_2025"]
    append_seed_row(reports, **{**first, "report_id": "chem24_anode_2025_b", **changes})
    return [str(problem) for problem in validate_project(ProjectPaths(root)).errors]


def test_a_repeated_edition_label_is_accepted_when_a_sequence_orders_the_editions(tmp_path):
    root = copy_project(tmp_path / "project")
    reports = root / "seeds" / "reports.csv"
    edit_seed_row(reports, "report_id", "chem24_anode_2025", edition_sequence="1")
    (first,) = [row for row in read_csv(reports) if row["report_id"] == "chem24_anode_2025"]
    append_seed_row(reports, **{**first, "report_id": "chem24_anode_2025_b", "edition_sequence": "2"})
    problems = [str(p) for p in validate_project(ProjectPaths(root)).errors]
    assert [p for p in problems if "[report_without_figures]" not in p] == []  # its figures are not curated here


def test_editions_the_dates_cannot_order_are_refused(tmp_path):
    problems = _second_edition(tmp_path)
    assert any("[edition_order_unknown]" in problem and "reports.csv:5:" in problem for problem in problems), problems


def test_a_sequence_on_one_edition_only_does_not_order_a_tie(tmp_path):
    problems = _second_edition(tmp_path, edition_sequence="2")
    assert any("[edition_order_unknown]" in problem for problem in problems), problems
