"""The tests' frozen data (tests/fixtures/project) is a valid project of today's schema: the validator
accepts it as it accepts the live seeds, and its seed schema is the repository's, so a test that starts
from it breaks only what it breaks on purpose, and a change of schema shows here first."""

from __future__ import annotations

from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import FIXTURE, REPO, copy_project, read_csv


def test_the_fixture_project_validates():
    result = validate_project(ProjectPaths(FIXTURE))
    assert result.ok, "\n".join(map(str, result.errors))


def test_the_fixture_seeds_have_the_repository_seed_schema():
    # the schema is code (dbt parses it), not data: the fixture links to the repository's one file, and a new
    # seed file or column carries the fixture's CSVs along
    schema = FIXTURE / "seeds" / "_seeds.yml"
    assert schema.is_symlink() and schema.resolve() == (REPO / "seeds" / "_seeds.yml").resolve()
    live = sorted(path.name for path in (REPO / "seeds").glob("*.csv"))
    assert sorted(path.name for path in (FIXTURE / "seeds").glob("*.csv")) == live
    for name in live:
        with open(REPO / "seeds" / name, encoding="utf-8") as repo, open(FIXTURE / "seeds" / name, encoding="utf-8") as fixture:
            assert fixture.readline() == repo.readline(), name


def test_a_scratch_project_holds_the_fixture_data_and_the_repository_code(tmp_path):
    root = copy_project(tmp_path / "project")
    assert (root / "seeds" / "report_figures.csv").read_bytes() == (FIXTURE / "seeds" / "report_figures.csv").read_bytes()
    assert (root / "dbt" / "dbt_project.yml").read_bytes() == (REPO / "dbt" / "dbt_project.yml").read_bytes()
    assert read_csv(root / "seeds" / "reports.csv") == read_csv(FIXTURE / "seeds" / "reports.csv")
