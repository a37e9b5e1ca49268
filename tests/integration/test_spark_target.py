"""The same warehouse on Spark. `marketwh refresh` with MARKETWH_TARGET=spark builds every seed, model and
data test on Spark (dbt-spark's session method, run from the Spark environment build/spark/venv), gates
the build with the same Great Expectations audits, read through dbt's own Spark connection, and publishes
it as the views marts.*. Every served mart (findings and audit results included) and every audit view
equals the DuckDB refresh's row by row: same tables, columns and types, the same rows, numbers equal to
1e-9 relative. dbt's unit tests pass on Spark too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from marketwh.dbtrun import dbt_command, spark_dbt
from marketwh.paths import ProjectPaths
from marketwh.warehouse.compare import mart_differences
from marketwh.warehouse.engine import SparkEngine
from marketwh.warehouse.reader import read_frames
from marketwh.warehouse.spark import parquet_as_duckdb
from tests.helpers import copy_project, project_env, run_marketwh


@pytest.fixture(scope="module")
def spark_refresh(tmp_path_factory) -> tuple[Path, SparkEngine, str]:
    """A project copy refreshed once on Spark: its root, its engine (for reading) and the output."""
    root = copy_project(tmp_path_factory.mktemp("spark") / "project")
    result = run_marketwh(root, "refresh", timeout=1800, MARKETWH_TARGET="spark")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    run_id = re.search(r"run ([0-9a-f-]{36}): succeeded", result.stdout).group(1)
    return root, SparkEngine(run_id, ProjectPaths(root).default_spark_dir, root), result.stdout + result.stderr


def _tables(db: Path, schema: str) -> list[str]:
    frame = read_frames(db, {"t": f"select table_name from information_schema.tables where table_schema = '{schema}'"})["t"]
    return sorted(frame["table_name"])


def test_spark_refresh_builds_every_node_audits_and_publishes_views(spark_refresh):
    root, engine, stdout = spark_refresh
    assert f"published Spark views marts.* (build {engine.build_id}_marts, on spark)" in stdout
    run_results = json.loads((ProjectPaths(root).dbt_runs / engine.run_id / "run_results.json").read_text(encoding="utf-8"))
    results = [r for r in run_results["results"] if r["unique_id"].split(".")[0] in ("seed", "model", "test")]
    assert {r["unique_id"].split(".")[0] for r in results} == {"seed", "model", "test"}
    assert [r["unique_id"] for r in results if r["status"] not in ("success", "pass")] == []
    assert any(r["unique_id"] == "model.marketwh.audit_split_sums" for r in results)
    # the report site reads a DuckDB file: not built on Spark, and no DuckDB file was published
    assert "on spark it is not built" in stdout
    assert not ProjectPaths(root).default_served_db.exists()
    # Spark's own files stay under the build folder, none in the working directory
    spark_dir = ProjectPaths(root).default_spark_dir
    assert {p.name for p in spark_dir.iterdir()} >= {"metastore_db", "spark-warehouse", "derby.log"}
    assert not (root / "dbt" / "metastore_db").exists() and not (root / "dbt" / "spark-warehouse").exists()


def test_every_served_mart_and_audit_view_equals_the_duckdb_refresh(spark_refresh, refreshed_project, tmp_path):
    root, engine, _ = spark_refresh
    duck = ProjectPaths(refreshed_project).default_served_db
    marts, audits = _tables(duck, "marts"), _tables(duck, "audits")
    assert {"market_figures", "report_findings", "audit_results", "warehouse_build"} <= set(marts) and audits
    # read as the next refresh reads what is served (one operation): the views marts.*, and audits.* of
    # the build they point at, which only Spark knows
    reader = SparkEngine(str(uuid.uuid4()), engine.spark_dir, root)
    queries = {f"{schema}.{t}": f"select * from {schema}.{t}" for schema, tables in (("marts", marts), ("audits", audits)) for t in tables}
    assert set(reader.read_served()(queries)) == set(queries)
    spark_copy = parquet_as_duckdb({name: reader.kept_read("served", sql) for name, sql in queries.items()}, tmp_path / "spark.duckdb")
    assert _tables(spark_copy, "marts") == marts and _tables(spark_copy, "audits") == audits
    # everything but the build stamp (its run, time and engine differ by design)
    assert mart_differences(duck, spark_copy, ignore=("warehouse_build",)) == []
    assert mart_differences(duck, spark_copy, schema="audits") == []
    findings = read_frames(spark_copy, {"f": "select finding_key from marts.report_findings"})["f"]
    assert len(findings)  # the stored reports have findings: the comparison covers the audits' outcome
    # the build stamp names the engine and the build the served views point at
    build = read_frames(spark_copy, {"b": "select * from marts.warehouse_build"})["b"].to_dict("records")
    stamped = [(b["run_id"], b["engine"], b["build_id"], b["duckdb_version"]) for b in build]
    assert stamped == [(engine.run_id, "spark", engine.build_id, None)]


def test_dbt_unit_tests_pass_on_spark(spark_refresh):
    root, engine, _ = spark_refresh
    target = ProjectPaths(root).build_dir / "dbt" / "spark-unit"
    # the refresh build's parse, reused with its vars and environment: dbt parses nothing again (2 s here
    # against 6-13 s for a full parse); the build parsed the unit tests too, it only excluded them
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ProjectPaths(root).dbt_runs / engine.run_id / "partial_parse.msgpack", target / "partial_parse.msgpack")
    result = subprocess.run(
        dbt_command(
            spark_dbt(),
            "test",
            root,
            target,
            "--select",
            "test_type:unit",
            "--exclude",
            "tag:not_on_spark",
            # a unit test reads its inputs' columns by name (describe): no listing of the build's schemas first
            "--no-populate-cache",
            "--vars",
            json.dumps(engine.dbt_vars()),
        ),
        cwd=root / "dbt",
        env=project_env(root, DBT_LOG_PATH=str(target / "logs"), **engine.dbt_env()),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-5000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit_tests = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["unit_tests"]
    on_spark = {uid for uid, test in unit_tests.items() if "not_on_spark" not in test["config"].get("tags", [])}
    tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(on_spark) >= 5 and {r["unique_id"] for r in tests} == on_spark and {r["status"] for r in tests} == {"pass"}
    # nothing else ran but the project's on-run-end hook (dbt/macros/comments.sql: on Spark it writes nothing)
    others = [r for r in results if r not in tests]
    assert {r["unique_id"].split(".")[0] for r in others} <= {"operation"} and {r["status"] for r in others} <= {"success"}, others
