"""Numbers that read one way to Python and another to dbt or to a reader (issue 23, class 10), and a
taxonomy without a root (class 11): each passed `marketwh validate` and failed later, in dbt or in what
the page says. Each attack edits a scratch copy of the fixture project the way an attacker would
(the document's recorded sha256 kept right), and the validator must refuse it at its file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import REPORT_24CHEM, copy_project

CAGR_SENTENCE = "(CAGR) of 13.4%"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(root: Path) -> list[str]:
    return [str(problem) for problem in validate_project(ProjectPaths(root)).errors]


def test_non_ascii_digits_and_an_invisible_character_inside_a_number_are_refused(tmp_path):
    root = copy_project(tmp_path / "project")
    seeds = root / "seeds"
    # "５.４" and an Arabic-Indic year: Python's float() and int() read them, dbt's cast fails the build
    _replace(
        seeds / "report_figures.csv",
        "chem24-001,chem24_anode_2025,market_value,total,total,global,2024,,,5.4,",
        "chem24-001,chem24_anode_2025,market_value,total,total,global,2024,,,５.４,",
    )
    _replace(seeds / "reports.csv", ",2018,2024,2025,2032,", ",٢٠١٨,2024,2025,2032,")
    # the page shows a CAGR of 213.4 % (U+200F between 2 and 13.4); the seed says 13.4 and quotes the page exactly
    document = root / "reports" / REPORT_24CHEM.name
    before = hashlib.sha256(document.read_bytes()).hexdigest()
    _replace(document, CAGR_SENTENCE, "(CAGR) of 2\u200f13.4%")
    _replace(seeds / "reports.csv", before, hashlib.sha256(document.read_bytes()).hexdigest())
    _replace(seeds / "report_figures.csv", CAGR_SENTENCE, "(CAGR) of 2\u200f13.4%")

    problems = _problems(root)
    assert "seeds/report_figures.csv:2: [not_a_number] column value: '５.４' is not a number" in "\n".join(problems)
    assert "seeds/reports.csv:2: [not_a_number] column history_start_year: '٢٠١٨' is not a whole number" in "\n".join(problems)
    invisible = [p for p in problems if "[invisible_character] column quote: an invisible format character (U+200F)" in p]
    # every row quoting that sentence (chem24-001..003 on lines 2-4), at its own line
    assert [p.split(": [", 1)[0] for p in invisible] == [f"seeds/report_figures.csv:{line}" for line in (2, 3, 4)]


def test_a_taxonomy_parent_cycle_is_reported_once_and_a_dangling_parent_at_its_line(tmp_path):
    root = copy_project(tmp_path / "project")
    segments = root / "seeds" / "segments.csv"
    # global's parent is the United States, whose parent is North America, whose parent is global
    _replace(segments, "region,global,Global,,,0,", "region,global,Global,country,us,0,")
    _replace(segments, "end_use,automotive,Automotive,,,1,", "end_use,automotive,Automotive,region,latin_america,1,")
    lines = {row.split(",")[1]: number for number, row in enumerate(segments.read_text(encoding="utf-8").splitlines(), start=1)}

    problems = _problems(root)
    cycles = [p for p in problems if "[taxonomy_cycle]" in p]
    assert cycles == [
        f"seeds/segments.csv:{lines['global']}: [taxonomy_cycle] the parents of 3 segment(s) form a cycle: "
        f"region:global (line {lines['global']}), country:us (line {lines['us']}), region:north_america (line {lines['north_america']}), "
        "back to the first; a segment cannot be its own ancestor: give one of them another parent or none"
    ]
    assert any(
        p.startswith(f"seeds/segments.csv:{lines['automotive']}: [unknown_parent] parent region:latin_america of end_use:automotive")
        for p in problems
    ), problems
