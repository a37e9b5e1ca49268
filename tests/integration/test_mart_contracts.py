"""The marts are the analysts' interface: each declares its columns and their types (an enforced dbt
model contract), so a model change that would break a dashboard fails the build instead."""

from __future__ import annotations

from pathlib import Path

from marketwh.paths import ProjectPaths
from tests.helpers import copy_project, dbt_build

MART = "market_size_by_year"
# a plausible slip: the year column turned into text, which every time-series chart would lose
ORIGINAL = "        totals.market_year,\n"
RETYPED = "        cast(totals.market_year as varchar) as market_year,\n"


def _build_mart(root: Path):
    # --empty: the models' shapes without their rows, enough for the contract and fast
    selection = ("--select", f"+{MART}", "--empty", "--exclude-resource-type", "test", "unit_test")
    return dbt_build(root, ProjectPaths(root).build_dir / "contract" / "warehouse.duckdb", *selection)


def test_a_mart_whose_column_changes_type_fails_the_build(tmp_path):
    # as it stands, the contract holds: every build of the suite (the shared built warehouse, the empty
    # build of the dbt unit tests) builds this mart, so one build here, of the slip, is enough
    root = copy_project(tmp_path / "project")
    model = root / "dbt" / "models" / "marts" / f"{MART}.sql"
    sql = model.read_text(encoding="utf-8")
    assert sql.count(ORIGINAL) == 1
    model.write_text(sql.replace(ORIGINAL, RETYPED), encoding="utf-8")

    result = _build_mart(root)
    assert result.returncode != 0
    assert "market_year" in result.stdout and "data type mismatch" in result.stdout
