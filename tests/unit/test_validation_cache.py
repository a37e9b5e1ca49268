"""The validation cache (marketwh/curation/validation/cache.py): a report unchanged since it validated
clean has its per-row rules skipped; everything else is checked, and a run with the cache finds exactly
the problems a full run finds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from marketwh.curation.validation import ValidationCache, validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import FIXTURE, FIXTURE_DATA
from tests.unit.test_bad_inputs import CORPUS, apply_edit


def data_project(root: Path) -> Path:
    """The fixture's seeds and documents: all the validator reads (the code is the running one)."""
    for name in FIXTURE_DATA:
        shutil.copytree(FIXTURE / name, root / name)
    return root


def validate(root: Path, full: bool = False):
    paths = ProjectPaths(root)
    return validate_project(paths, ValidationCache(paths.validation_cache, full=full))


def figure_line(root: Path, line: int) -> str:
    return (root / "seeds" / "report_figures.csv").read_text(encoding="utf-8").splitlines()[line - 1]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def primed(tmp_path: Path) -> Path:
    """A clean project whose cache remembers every report clean."""
    root = data_project(tmp_path / "project")
    first = validate(root)
    assert first.errors == [] and first.reports_skipped == [] and len(first.reports_checked) == 3
    second = validate(root)
    assert second.reports_checked == [] and sorted(second.reports_skipped) == sorted(first.reports_checked)
    return root


def test_a_changed_figure_row_is_checked_again_and_its_problem_found_while_other_reports_are_skipped(primed):
    line = figure_line(primed, 2)
    report_id, printed = line.split(",")[1], "US$ 5.4 billion"
    assert printed in line
    replace_in(primed / "seeds" / "report_figures.csv", line, line.replace(f",{printed},", ",US$ 5.9 billion,", 1))
    result = validate(primed)
    assert result.reports_checked == [report_id]
    assert len(result.reports_skipped) == 2
    assert any(p.path == "seeds/report_figures.csv" and p.line == 2 and p.rule == "value_not_in_quote" for p in result.errors)


def test_a_changed_document_checks_its_report_again(primed):
    table = (primed / "seeds" / "reports.csv").read_text(encoding="utf-8").splitlines()
    header, first = table[0].split(","), table[1]
    report_id, document = first.split(",")[0], next(cell for cell in first.split(",") if cell.startswith("reports/"))
    assert "document_path" in header
    with open(primed / document, "a", encoding="utf-8") as handle:
        handle.write("\n<p>An edit made after the figures were curated.</p>\n")
    result = validate(primed)
    assert result.reports_checked == [report_id]
    assert [p.rule for p in result.errors] == ["document_sha256_mismatch"]


def test_a_changed_vocabulary_row_checks_every_report_again(primed):
    replace_in(primed / "seeds" / "markets.csv", "Materials for the negative electrode", "Materials of the negative electrode")
    result = validate(primed)
    assert result.errors == [] and result.reports_skipped == [] and len(result.reports_checked) == 3


def test_a_report_with_a_problem_is_never_remembered_clean(primed):
    line = figure_line(primed, 2)
    replace_in(primed / "seeds" / "report_figures.csv", line, line.replace(",US$ 5.4 billion,", ",US$ 5.9 billion,", 1))
    first, second = validate(primed), validate(primed)
    assert first.errors and second.errors == first.errors
    assert second.reports_checked == [line.split(",")[1]]


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"format": 1, "global": 7, "reports": []}', b"\xff\xfe", b""])
def test_a_corrupt_cache_is_ignored_and_replaced(primed, content):
    cache = ProjectPaths(primed).validation_cache
    cache.write_bytes(content)
    result = validate(primed)
    assert result.errors == [] and result.reports_skipped == [] and len(result.reports_checked) == 3
    assert len(validate(primed).reports_skipped) == 3  # rewritten whole


def test_full_reads_no_cache(primed):
    assert len(validate(primed, full=True).reports_checked) == 3


def test_the_cache_holds_nothing_of_a_path_so_a_copy_of_the_inputs_hits_it(primed, tmp_path):
    """A refresh validates its inputs snapshot (another folder) against the working tree's cache."""
    snapshot = data_project(tmp_path / "snapshot")
    result = validate_project(ProjectPaths(snapshot), ValidationCache(ProjectPaths(primed).validation_cache))
    assert result.reports_checked == [] and len(result.reports_skipped) == 3


@pytest.fixture(scope="module")
def primed_cache(tmp_path_factory) -> bytes:
    root = data_project(tmp_path_factory.mktemp("primed") / "project")
    assert validate(root).errors == []
    return ProjectPaths(root).validation_cache.read_bytes()


@pytest.mark.parametrize("case", CORPUS, ids=[c.stem for c in CORPUS])
def test_a_run_with_the_cache_finds_what_a_full_run_finds(case, tmp_path, primed_cache):
    """Every broken input of the corpus, applied to a project whose cache remembers its good state."""
    root = data_project(tmp_path / "project")
    cache = ProjectPaths(root).validation_cache
    cache.parent.mkdir(parents=True)
    cache.write_bytes(primed_cache)
    for edit in yaml.safe_load(case.read_text(encoding="utf-8"))["edits"]:
        apply_edit(root, edit)
    cached = validate(root)
    assert cached.errors == validate_project(ProjectPaths(root)).errors
    assert cached.errors, "the case breaks nothing"
    assert validate(root).errors == cached.errors  # and again, with what the cached run wrote


def test_a_seed_the_fingerprint_cannot_read_means_a_full_validation_not_an_error(primed, monkeypatch):
    import marketwh.curation.validation.cache as cache

    def unreadable(seeds_dir):
        raise PermissionError(13, "Permission denied", str(seeds_dir / "markets.csv"))

    monkeypatch.setattr(cache, "global_fingerprint", unreadable)
    result = validate(primed)
    assert result.errors == [] and result.reports_skipped == [] and len(result.reports_checked) == 3
