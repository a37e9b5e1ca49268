"""What an operator reads and what a refresh leaves behind: a failed dbt test reads as a sentence one can
act on (the test, its model and column, how many rows fail, where to see them), and dbt's run folders
under build/ are pruned to the last three."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.helpers import wait_until

pytestmark = pytest.mark.unit


def test_a_failing_column_test_names_its_model_column_rows_and_compiled_sql(monkeypatch):
    from dagster_project import monitoring

    node = {
        "test_metadata": {"name": "accepted_values"},
        "attached_node": "model.marketwh.market_by_type_year",
        "column_name": "share_basis",
        "package_name": "marketwh",
        "original_file_path": "models/marts/market_by_type_year.yml",
    }
    monkeypatch.setattr(monitoring, "_manifest_node", lambda unique_id: node if unique_id == "test.marketwh.t" else None)
    metadata = {"unique_id": "test.marketwh.t", "dagster_dbt/failed_row_count": 2}
    evaluation = SimpleNamespace(description=None, metadata=metadata, asset_key=None)
    text = monitoring.describe_check_failure(evaluation, "run-1")
    assert text.startswith("dbt test accepted_values on model market_by_type_year, column share_basis: 2 failing row(s) in the candidate")
    assert "build/dbt/runs/run-1/compiled/marketwh/models/marts/market_by_type_year.yml" in text
    assert "fix the model under dbt/models" in text


def test_dbt_run_folders_are_pruned_to_the_last_three(monkeypatch, tmp_path):
    import os

    from dagster_project import project
    from marketwh.paths import ProjectPaths

    monkeypatch.setattr(project, "PATHS", ProjectPaths(tmp_path))
    runs = ProjectPaths(tmp_path).dbt_runs
    for age, name in enumerate(["e", "d", "c", "b", "a"]):  # "a" is the oldest
        (runs / name).mkdir(parents=True)
        os.utime(runs / name, (1_000_000 - age * 60, 1_000_000 - age * 60))
    target = project.run_target_path("new")
    target.mkdir()
    assert target == runs / "new"
    # pruned in a thread while dbt builds
    wait_until(lambda: sorted(path.name for path in runs.iterdir()) == ["d", "e", "new"], timeout=30, what="the older runs pruned")
