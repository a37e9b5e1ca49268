"""The engine seam: one setting picks the engine, and a Spark build's queries name its own schemas."""

from __future__ import annotations

import json

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
