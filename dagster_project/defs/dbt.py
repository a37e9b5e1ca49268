"""Every dbt seed and model as a Dagster asset, every dbt data test as an asset check.

One `dbt build` streams into Dagster. It writes the candidate (a DuckDB file beside the served one, or a
Spark build's own schemas), never what is served: that changes only when `served_warehouse` publishes an
audited candidate.
"""

import json
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from marketwh.dbtrun import patched_environ, refresh_build_args
from marketwh.errors import RefreshError
from marketwh.failpoints import failpoint
from marketwh.inputs import point_inputs, run_inputs
from marketwh.paths import ProjectPaths
from marketwh.processes import stop_if_requested
from marketwh.warehouse.definitions import FULL_BUILD_TAG, kept_from_the_copy, leave_out_args
from marketwh.warehouse.publish import ACCEPT_VOCABULARY_TAG, STAMP_ACCEPT_VOCABULARY_ENV

from ..project import dbt_project, reuse_parse, run_target_path, save_parse
from ..runner import import_later_steps_meanwhile
from .keys import REPORT_DOCUMENTS_KEY, dbt_node_key
from .resources import RefreshLockResource, WarehouseResource


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys follow the DuckDB schema (seeds/*, staging/*, intermediate/*, marts/*); groups say
    what these assets are: the candidate build, which BI tools never read. What they read is the
    `served` group, materialized only by a publish."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        return dbt_node_key(dbt_resource_props)  # the curated CSVs (dbt sources) too: seeds/report_figures

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return f"candidate_{dbt_resource_props.get('schema') or 'dbt'}"

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return (
            "Candidate build (not served until a publish succeeds; the served copy is served/"
            f"{dbt_resource_props.get('schema')}/{dbt_resource_props.get('alias') or dbt_resource_props['name']}). "
            + super().get_description(dbt_resource_props)
        )

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("seed."):
            # seeds quote the report documents: a changed document is upstream of every seed
            spec = spec.merge_attributes(deps=[REPORT_DOCUMENTS_KEY])
        return spec


if not dbt_project.manifest_path.exists():
    raise RefreshError(
        f"the dbt manifest {dbt_project.manifest_path} is missing: load the definitions through "
        "dagster_project.definitions (it prepares the manifest), or run `marketwh prepare`"
    )
# read once: the assets are defined from it, and an incremental build's step reads its graph (kept_from_the_copy)
MANIFEST = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


@dbt_assets(
    manifest=MANIFEST,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
)
def warehouse_dbt_assets(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    refresh_lock: RefreshLockResource,
):
    engine = warehouse.engine(context.run.run_id)
    # the seeds this run validated (a run that skipped the validation takes its snapshot here)
    snapshot = run_inputs(ProjectPaths.default().root, context.run.run_id)
    point_inputs(engine.inputs, snapshot)
    # incremental on a copy of what is served when only reports' own inputs changed (the definitions
    # digest, marketwh/warehouse/definitions.py); `marketwh refresh --full` or the resource ask for a full build
    full = warehouse.full_build or context.run.tags.get(FULL_BUILD_TAG) == "true"
    engine.prepare(partial=context.is_subset, full=full)
    vars_ = engine.dbt_vars()
    mode = getattr(engine, "build_mode", "full")
    # the vocabulary's seeds and what reads only them: the copy holds them as a build would write them
    # (only in the whole job's build, whose selection, fqn:*, names every data test itself)
    kept = kept_from_the_copy(MANIFEST) if mode == "incremental" and not context.is_subset else []
    args = [*refresh_build_args(vars_), *leave_out_args(kept)]
    context.log.info(
        f"building the candidate on {engine.name}, {mode} build ({json.dumps(vars_)}) from the inputs snapshot {snapshot}; "
        f"{len(kept)} nodes kept from the copy of the served build; what is served is not touched"
    )
    failpoint("dbt.before_build")
    target = run_target_path(context.run.run_id)
    reuse_parse(target, warehouse.served())
    # set either way: an ACCEPT variable inherited from a service's environment must not accept every change
    accepted = "true" if context.run.tags.get(ACCEPT_VOCABULARY_TAG) == "true" else ""
    try:
        with patched_environ({**engine.dbt_env(), STAMP_ACCEPT_VOCABULARY_ENV: accepted}):
            invocation = dbt.cli(args, context=context, target_path=target)
            import_later_steps_meanwhile()  # dbt's process runs: its start and parse leave this one idle
            for event in invocation.stream():
                stop_if_requested()  # a stop Dagster's interrupt lost (marketwh/processes.py) ends the build too
                yield event
    finally:
        point_inputs(engine.inputs, ProjectPaths.default().root)  # the working tree, for the next manifest parse
    save_parse(target, warehouse.served())
