"""Every generated path comes from marketwh.paths: build/ by default, moved by its environment variable
when the path is asked for (never at import), and the served file's companions stay beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketwh.paths import ProjectPaths, ServedPaths

pytestmark = pytest.mark.unit


def test_generated_paths_live_under_build_by_default(monkeypatch, tmp_path):
    for name in ("WAREHOUSE_DB", "DAGSTER_HOME", "MARKETWH_SPARK_DIR", "MARKETWH_SPARK_VENV", "MARKETWH_SUPERSET_HOME"):
        monkeypatch.delenv(name, raising=False)
    paths = ProjectPaths(tmp_path)
    generated = [
        paths.served_db(),
        paths.dagster_home(),
        paths.spark_dir(),
        paths.spark_venv(),
        paths.superset_home(),
        paths.dbt_target,
        paths.dbt_logs,
        paths.dbt_runs,
        paths.dbt_operations,
    ]
    assert [path for path in generated if not path.is_relative_to(tmp_path / "build")] == []


def test_an_environment_variable_moves_its_path_when_asked_not_at_import(monkeypatch, tmp_path):
    paths = ProjectPaths(tmp_path / "checkout")
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "srv" / "w.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    assert paths.served_db() == tmp_path / "srv" / "w.duckdb" and paths.dagster_home() == tmp_path / "dagster"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WAREHOUSE_DB", "relative.duckdb")  # relative to where the command runs
    assert paths.served_db() == tmp_path / "relative.duckdb"
    monkeypatch.delenv("WAREHOUSE_DB")
    assert paths.served_db() == paths.default_served_db == tmp_path / "checkout" / "build" / "warehouse.duckdb"


def test_the_served_files_companions_stay_beside_it(monkeypatch, tmp_path):
    monkeypatch.delenv("MARKETWH_DOCS_CACHE", raising=False)
    files = ServedPaths(tmp_path / "srv" / "w.duckdb")
    beside = [files.candidate, files.lock, files.previous, files.builds, files.site, files.site_builds, files.docs_cache()]
    assert [path for path in beside if not path.is_relative_to(tmp_path / "srv")] == []
    assert files.candidate.parent.parent == files.served.parent  # publishing is a rename on one filesystem
    assert files.candidate.name == "w.duckdb" and files.previous.name == "w.previous.duckdb"
    assert ServedPaths.pristine(Path("/b/x.duckdb")) == Path("/b/x.pristine.duckdb")
    monkeypatch.setenv("MARKETWH_DOCS_CACHE", str(tmp_path / "cache"))
    assert files.docs_cache() == tmp_path / "cache"
