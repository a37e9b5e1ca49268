"""Publishing: the audited candidate becomes the served file, atomically.

This step runs only when every upstream dbt model built, every dbt test passed and every blocking
check (validation, GX suites) passed in the same run; otherwise Dagster skips it and what is served
stays byte-identical. The build carries its own stamp (the dbt model marts.warehouse_build, fed by the
environment the refresh ran dbt with). This step publishes it through its engine (DuckDB: the served link
switched to the audited file; Spark: the served views pointed at the build's schema) and materializes
`served_warehouse` and one `served/marts/*` asset per mart, observed from what is served after the
switch, so the UI shows apart what was built (the candidate_* groups) and what BI tools read (the
served group).
"""

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from marketwh.curation.documents import stored_documents
from marketwh.errors import RefreshError
from marketwh.inputs import run_inputs
from marketwh.paths import ProjectPaths
from marketwh.processes import stop_if_requested
from marketwh.warehouse.publish import git_commit

from .keys import SERVED_WAREHOUSE_KEY, mart_keys, served_key
from .resources import RefreshLockResource, WarehouseResource

MARTS = mart_keys()
# what the UI's "Failed in <run id>" on a served asset means (plain words: the UI renders descriptions as Markdown)
NOT_PUBLISHED = (
    "'Failed in' followed by a run id means that run did not publish: BI tools still read the build its latest materialization names."
)


@multi_asset(
    specs=[
        AssetSpec(
            SERVED_WAREHOUSE_KEY,
            group_name="served",
            deps=MARTS,
            description="What BI tools read: the DuckDB file WAREHOUSE_DB (or, on Spark, the views marts.*), "
            f"the audited candidate, published by an atomic switch. {NOT_PUBLISHED}",
            kinds={"duckdb", "spark"},
        ),
        *[
            AssetSpec(
                served_key(key),
                group_name="served",
                deps=[SERVED_WAREHOUSE_KEY],
                description=f"{key.to_user_string()} as BI tools read it: materialized only when a publish succeeds. " + NOT_PUBLISHED,
                kinds={"duckdb", "spark"},
            )
            for key in MARTS
        ],
    ],
)
def served_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource, refresh_lock: RefreshLockResource):
    paths = ProjectPaths.default()
    stop_if_requested()  # Dagster's interrupt can be lost (marketwh/processes.py): what was told to stop never publishes
    engine = warehouse.engine(context.run.run_id)
    if engine.name == "duckdb":
        # a partial refresh builds only the models picked in the UI into a copy of what is served: its
        # stamp must be this run's, or the served file would name a run that did not build it
        stamp = engine.read_candidate()({"stamp": "select run_id from marts.warehouse_build"})["stamp"]
        if list(stamp["run_id"]) != [context.run.run_id]:
            raise RefreshError(
                "the candidate's build stamp marts.warehouse_build was not built by this run: "
                "a partial refresh must select marts/warehouse_build too; nothing published"
            )
    commit = git_commit(paths.root)
    # the documents of the run's inputs snapshot: the ones validated and built, whatever the working tree holds now
    hashes = {d.report_id: d.actual_sha256 for d in stored_documents(run_inputs(paths.root, context.run.run_id))}
    # observed from what is served, after the switch: what a new reader sees now
    counts = " union all ".join(
        f"select '{key.to_user_string()}' as mart, count(*) as row_count from {'.'.join(key.path)}" for key in MARTS
    )
    published, observed = engine.publish([key.path[-1] for key in MARTS], {"rows": counts})
    context.log.info(f"published on {engine.name}: {published}")
    yield MaterializeResult(
        asset_key=SERVED_WAREHOUSE_KEY,
        metadata={
            "engine": engine.name,
            "served": published["served"],
            "build": published["build"],
            "rollback": published["rollback"] or "none (first publish)",
            "git_commit": commit,
            "report_hashes": MetadataValue.json(hashes),
        },
    )
    rows = {r.mart: int(r.row_count) for r in observed["rows"].itertuples()}
    for key in MARTS:
        yield MaterializeResult(
            asset_key=served_key(key),
            metadata={
                "row_count": rows.get(key.to_user_string(), 0),
                "build": published["build"],
                "published_by_run": context.run_id,
            },
        )
