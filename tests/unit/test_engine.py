"""The engine seam: one setting picks the engine, and a Spark build's queries name its own schemas."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from marketwh.errors import RefreshError
from marketwh.paths import ProjectPaths
from marketwh.warehouse.engine import DuckDBEngine, SparkEngine, engine_name, in_build
from tests.helpers import REPO


def test_a_spark_build_reads_its_own_schemas_and_nothing_else():
    sql = (
        "select c.report_id, m.value from marts.market_figures as m join seeds.claims_x as c on marts_x.a = c.b "
        "join audits.audit_split_sums"
    )
    assert in_build(sql, "build_0123456789ab") == (
        "select c.report_id, m.value from build_0123456789ab_marts.market_figures as m "
        "join build_0123456789ab_seeds.claims_x as c on marts_x.a = c.b join build_0123456789ab_audits.audit_split_sums"
    )


def test_each_spark_run_builds_into_schemas_named_by_its_run():
    first, second = (
        SparkEngine(run_id, ProjectPaths(REPO).default_spark_dir)
        for run_id in ("9a137a60-956d-456e-82c5-95bdc4dcf7dd", "0b2e0000-0000-4000-8000-000000000000")
    )
    assert first.build_id == "build_9a137a60956d" and second.build_id != first.build_id
    assert first.dbt_vars()["schema_prefix"] == "build_9a137a60956d_"


def test_the_engine_is_one_setting(monkeypatch):
    monkeypatch.delenv("MARKETWH_TARGET", raising=False)
    assert engine_name() == "duckdb"
    monkeypatch.setenv("MARKETWH_TARGET", "spark")
    assert engine_name() == "spark"
    monkeypatch.setenv("MARKETWH_TARGET", "candidate")  # dbt's name of the DuckDB output
    assert engine_name() == "duckdb"
    assert engine_name("duckdb") == "duckdb"  # the resource's engine_name wins over the environment
    monkeypatch.setenv("MARKETWH_TARGET", "postgres")
    with pytest.raises(RefreshError, match="names no engine"):
        engine_name()


def test_the_duckdb_refresh_builds_with_the_vars_the_manifest_was_parsed_with():
    from dagster_project.project import build_vars

    served = ProjectPaths(REPO).default_served_db
    assert json.loads(build_vars(served)) == DuckDBEngine(served).dbt_vars()


def test_a_spark_runs_audit_reads_are_one_operation_and_the_served_audits_are_the_served_builds(tmp_path, monkeypatch):
    """Each read on Spark is a dbt operation (a JVM and a session, ~20 s): the first read of a run exports
    every planned read of the candidate and of the served views at once, and later reads of the run, by
    another step's engine, are served from what it kept. The served views are marts.* only: a served read
    of audits.* names the served build's schema, which export_reads resolves."""
    operations = []

    def operation(self, macro, args):
        operations.append((macro, args))
        for group in args["groups"]:  # as Spark writes them: a folder of parquet files per query
            for name in group["queries"]:
                (Path(group["directory"]) / name).mkdir(parents=True)
                part = Path(group["directory"]) / name / "part-0.parquet"
                duckdb.execute(f"copy (select {len(operations)} as x) to '{part}' (format parquet)")

    monkeypatch.setattr(SparkEngine, "_operation", operation)
    run_id = "9a137a60-956d-456e-82c5-95bdc4dcf7dd"
    candidate, served = (
        ["select * from marts.reports", "select rule from audits.audit_verdicts"],
        ["select rule from audits.audit_verdicts"],
    )

    def engine():
        step = SparkEngine(run_id, tmp_path)
        step.plan_reads(candidate=candidate, served=served)
        return step

    first = engine().read_candidate()({"reports": candidate[0]})
    assert list(first) == ["reports"] and len(operations) == 1
    ((macro, args),) = operations
    assert macro == "export_reads"
    groups = {group["require"]: sorted(group["queries"].values()) for group in args["groups"]}
    assert groups == {
        "": ["select * from build_9a137a60956d_marts.reports", "select rule from build_9a137a60956d_audits.audit_verdicts"],
        "marts.warehouse_build": ["select rule from __served_build___audits.audit_verdicts"],
    }
    # another step of the run: its planned reads were kept, no operation
    later = engine()
    assert set(later.read_candidate()({"a": candidate[0], "b": candidate[1]})) == {"a", "b"}
    assert list(later.read_served()({"coverage": served[0]})) == ["coverage"]
    assert len(operations) == 1
    # a read nobody planned is one more operation, of that read only
    assert list(later.read_served()({"stamp": "select * from marts.warehouse_build"})) == ["stamp"]
    assert len(operations) == 2 and [g["queries"] for g in operations[1][1]["groups"]] == [
        {later.kept_read("served", "select * from marts.warehouse_build").name: "select * from marts.warehouse_build"}
    ]
