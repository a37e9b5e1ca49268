"""The same dbt project on Spark: every seed, model, macro, data test, unit test and contract runs
unchanged on the `spark` target (dbt-spark's session method), and every mart equals the DuckDB
build's row by row: same tables, columns and types, the same rows, numbers equal to 1e-9 relative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marketwh.warehouse.compare import mart_differences
from marketwh.warehouse.spark import spark_env, spark_marts_as_duckdb, spark_tables
from tests.helpers import copy_project, dbt_build


@pytest.fixture(scope="module")
def both_targets(tmp_path_factory) -> tuple[Path, Path, Path]:
    """One project copy built on DuckDB and on Spark from the same seeds and documents."""
    pytest.importorskip("pyspark", reason="the Spark target's packages are not installed: make .venv/.installed-spark")
    root = copy_project(tmp_path_factory.mktemp("engines") / "project")
    duck = root / "build" / "warehouse.duckdb"
    result = dbt_build(root, duck)
    assert result.returncode == 0, result.stdout[-4000:]
    spark_dir = root / "build" / "spark"
    result = dbt_build(
        root, root / "build" / "unused.duckdb", "--target-path", str(root / "build" / "dbt" / "spark-target"), **spark_env(spark_dir)
    )
    assert result.returncode == 0, result.stdout[-6000:]
    return root, duck, spark_dir


def test_every_node_builds_and_passes_on_spark(both_targets):
    root, _, spark_dir = both_targets
    target = root / "build" / "dbt" / "spark-target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["adapter_type"] == "spark"
    results = [
        result
        for result in json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
        if result["unique_id"].split(".")[0] in ("seed", "model", "test", "unit_test")  # not the exposures
    ]
    kinds = {result["unique_id"].split(".")[0] for result in results}
    assert kinds >= {"seed", "model", "test", "unit_test"}
    assert [r["unique_id"] for r in results if r["status"] not in ("success", "pass")] == []
    contracted = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["config"]["contract"]["enforced"]]
    assert len(contracted) >= 13 and all(f"model.marketwh.{n['name']}" in {r["unique_id"] for r in results} for n in contracted)
    # Spark's own files stay under the build folder, none in the working directory
    assert {p.name for p in spark_dir.iterdir()} >= {"metastore_db", "spark-warehouse", "derby.log"}
    assert not (root / "metastore_db").exists() and not (root / "spark-warehouse").exists() and not (root / "derby.log").exists()


def test_every_mart_is_the_same_on_both_engines(both_targets, tmp_path):
    _, duck, spark_dir = both_targets
    assert "market_figures" in spark_tables(spark_dir)
    spark_copy = spark_marts_as_duckdb(spark_dir, tmp_path / "spark_marts.duckdb")
    assert mart_differences(duck, spark_copy) == []
