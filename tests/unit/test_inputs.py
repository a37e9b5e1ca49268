"""The inputs snapshot of a refresh run (marketwh/inputs.py): one copy per run, taken once, judged by the
validator exactly as the working tree would be, pruned as runs go by."""

from __future__ import annotations

import os

from marketwh.curation.validation import validate_project
from marketwh.inputs import KEEP, point_inputs, run_inputs
from marketwh.paths import ProjectPaths


def test_a_run_takes_its_snapshot_once_and_later_edits_do_not_reach_it(project):
    snapshot = run_inputs(project, "run-1")
    reports = project / "seeds" / "reports.csv"
    validated = reports.read_text(encoding="utf-8")
    reports.write_text(validated + "edited,after,the,snapshot\n", encoding="utf-8")
    assert run_inputs(project, "run-1") == snapshot
    assert (snapshot / "seeds" / "reports.csv").read_text(encoding="utf-8") == validated
    assert {p.name for p in (snapshot / "reports").iterdir()} == {p.name for p in (project / "reports").iterdir()}


def test_the_snapshot_is_validated_with_the_working_trees_file_names(project):
    figures = project / "seeds" / "report_figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    figures.write_text("".join([*lines[:2], lines[2].replace(",usd_bn,", ",no_such_unit,", 1), *lines[3:]]), encoding="utf-8")
    errors = validate_project(ProjectPaths(run_inputs(project, "run-1"))).errors
    assert errors and all(not e.path.startswith(str(project)) for e in errors)
    assert any(e.path == "seeds/report_figures.csv" and e.line == 3 for e in errors), errors


def test_a_document_link_leading_outside_reports_stays_outside_in_the_snapshot(project, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not a report\n")
    (project / "reports" / "escape.md").symlink_to(outside)
    inside = next(p for p in (project / "reports").iterdir() if p.suffix == ".md" and not p.is_symlink())
    (project / "reports" / "alias.md").symlink_to(inside.name)
    snapshot = run_inputs(project, "run-1")
    assert (snapshot / "reports" / "escape.md").is_symlink()  # the validator refuses it as before
    assert os.path.realpath(snapshot / "reports" / "escape.md") == str(outside.resolve())
    alias = snapshot / "reports" / "alias.md"
    assert not alias.is_symlink() and alias.read_bytes() == inside.read_bytes()


def test_old_snapshots_are_pruned_and_the_link_names_the_newest(project):
    for number in range(KEEP + 3):
        snapshot = run_inputs(project, f"run-{number}")
        os.utime(snapshot, (number + 1, number + 1))  # in order, whatever the clock's resolution
    kept = sorted(p.name for p in ProjectPaths(project).inputs_snapshots.iterdir())
    assert len(kept) == KEEP and f"run-{KEEP + 2}" in kept
    link = point_inputs(ProjectPaths(project).inputs_link(project / "build" / "warehouse.duckdb"), snapshot)
    assert link.resolve() == snapshot.resolve() and not os.path.isabs(os.readlink(link))
