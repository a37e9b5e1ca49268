"""The tests' frozen data (tests/fixtures/project) is a valid project: the validator accepts it as it
accepts the live seeds, so a test that starts from it breaks only what it breaks on purpose."""

from __future__ import annotations

from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import FIXTURE, REPO, copy_project


def test_the_fixture_project_validates():
    result = validate_project(ProjectPaths(FIXTURE))
    assert result.ok, "\n".join(map(str, result.errors))


def test_a_scratch_project_holds_the_fixture_data_and_the_repository_code(tmp_path):
    root = copy_project(tmp_path / "project")
    assert (root / "seeds" / "report_figures.csv").read_bytes() == (FIXTURE / "seeds" / "report_figures.csv").read_bytes()
    assert (root / "dbt" / "dbt_project.yml").read_bytes() == (REPO / "dbt" / "dbt_project.yml").read_bytes()
