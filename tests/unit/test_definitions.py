"""The Dagster definitions, loaded in this process without running anything: the `refresh` job holds
every dbt seed and model of the manifest, the publish and the site downstream of every mart, one asset
check per dbt data test and the blocking gates in front of the publish. This is the wiring `make check`
proves in seconds; the integration tier runs it."""

from __future__ import annotations

import json

import pytest
from dagster import AssetKey

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def definitions():
    from dagster_project.definitions import defs

    return defs()  # parses the dbt project first only when its sources changed since the last parse


@pytest.fixture(scope="module")
def manifest(definitions) -> dict:
    from dagster_project.project import dbt_project

    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def refresh(definitions):
    return definitions.resolve_job_def("refresh")


@pytest.fixture(scope="module")
def graph(refresh):
    return refresh.asset_layer.asset_graph


def node_key(node: dict) -> AssetKey:
    return AssetKey([node["schema"], node.get("alias") or node["name"]])


def test_the_refresh_job_materializes_every_dbt_seed_and_model(manifest, graph):
    dbt_nodes = {node_key(node) for node in manifest["nodes"].values() if node["resource_type"] in ("seed", "model")}
    assert dbt_nodes, "the manifest holds no dbt seed or model"
    assert dbt_nodes <= graph.get_all_asset_keys()


def test_every_mart_has_a_served_copy_published_after_it(manifest, graph):
    marts = {node_key(node) for node in manifest["nodes"].values() if node["resource_type"] == "model" and node["schema"] == "marts"}
    served_warehouse = AssetKey(["served_warehouse"])
    assert marts and served_warehouse in graph.get_all_asset_keys()
    assert marts <= graph.get(served_warehouse).parent_keys  # publish waits for every candidate mart
    for mart in marts:
        served = AssetKey(["served", *mart.path])
        assert graph.get(served).parent_keys == {served_warehouse}, served.to_user_string()
    assert served_warehouse in graph.get(AssetKey(["served", "report_site"])).parent_keys  # the site reads what is served


def test_every_dbt_data_test_on_a_model_is_an_asset_check_of_the_job(manifest, graph):
    checks = {key.name for key in graph.asset_check_keys}
    data_tests = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("attached_node") and not node["attached_node"].startswith("source.")
    }
    assert data_tests, "the manifest holds no dbt data test"
    assert data_tests <= checks, sorted(data_tests - checks)[:5]


def test_blocking_gates_stand_between_the_build_and_the_publish(graph):
    specs = {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys}
    gx = {name: spec.blocking for name, spec in specs.items() if name.startswith("gx_")}
    assert any(gx.values()), f"no blocking Great Expectations check: {gx}"
    assert specs["seeds_and_documents_valid"].blocking  # a bad seed stops the dbt build
    assert specs["candidate_keeps_served_data"].blocking  # nothing served is dropped silently


def test_the_refresh_runs_in_one_process_on_a_schedule_and_on_a_change(definitions, refresh):
    assert refresh.executor_def.name == "in_process"  # the refresh lock spans every step
    assert [schedule.job_name for schedule in definitions.schedules] == ["refresh"]
    assert sorted(sensor.name for sensor in definitions.sensors) == ["refresh_failed_alert", "report_or_seed_changed"]


def test_the_dbt_resource_starts_no_dbt_process_to_learn_its_version(monkeypatch):
    """dagster-dbt asks `dbt --version` (a whole dbt process) before every command; the project's
    resource knows it: the guard becomes the dbt-core pinned in this environment (and in the Spark one)."""
    from importlib import metadata

    import dagster_dbt.core.resource

    from dagster_project.defs.resources import WarehouseDbtCliResource
    from dagster_project.project import dbt_project
    from marketwh.dbtrun import SPARK_PACKAGES, guarded_dbt

    def no_process(*args, **kwargs):
        raise AssertionError(f"a process was started: {args}")

    monkeypatch.setattr(dagster_dbt.core.resource, "check_output", no_process)
    resource = WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=guarded_dbt())
    assert str(resource._cli_version) == metadata.version("dbt-core")
    assert f"dbt-core=={metadata.version('dbt-core')}" in SPARK_PACKAGES
