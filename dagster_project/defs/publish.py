"""Publishing: the audited candidate becomes the served file, atomically.

This step runs only when every upstream dbt model built, every dbt test passed and every blocking
check (validation, GX suites) passed in the same run; otherwise Dagster skips it and the served
file stays byte-identical. It materializes `served_warehouse` and one `served/marts/*` asset per
mart, observed from the served file after the switch, so the UI shows apart what was built (the
candidate_* groups) and what BI tools read (the served group).
"""

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from marketwh.curation.documents import stored_documents
from marketwh.paths import ProjectPaths
from marketwh.warehouse.publish import git_commit, publish, write_build_info
from marketwh.warehouse.reader import read_frames

from .keys import SERVED_WAREHOUSE_KEY, mart_keys, served_key
from .resources import RefreshLockResource, WarehouseResource

MARTS = mart_keys()


@multi_asset(
    specs=[
        AssetSpec(
            SERVED_WAREHOUSE_KEY,
            group_name="served",
            deps=MARTS,
            description="The DuckDB file BI tools read (WAREHOUSE_DB): the audited candidate, published by an atomic switch.",
            kinds={"duckdb"},
        ),
        *[
            AssetSpec(
                served_key(key),
                group_name="served",
                deps=[SERVED_WAREHOUSE_KEY],
                description=f"{key.to_user_string()} as BI tools read it: materialized only when a publish succeeds.",
                kinds={"duckdb"},
            )
            for key in MARTS
        ],
    ],
)
def served_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource, refresh_lock: RefreshLockResource):
    paths = ProjectPaths.default()
    served, candidate = warehouse.served(), warehouse.candidate()
    commit = git_commit(paths.root)
    hashes = {d.report_id: d.actual_sha256 for d in stored_documents(paths.root)}
    write_build_info(candidate, run_id=context.run_id, commit=commit, report_hashes=hashes)
    rollback = publish(candidate, served)
    context.log.info(f"published {served}" + (f" (previous kept at {rollback})" if rollback else ""))
    yield MaterializeResult(
        asset_key=SERVED_WAREHOUSE_KEY,
        metadata={
            "path": MetadataValue.path(str(served)),
            "build_file": MetadataValue.path(str(served.resolve())),
            "rollback_copy": MetadataValue.path(str(rollback)) if rollback else "none (first publish)",
            "size_bytes": served.stat().st_size,
            "git_commit": commit,
            "report_hashes": MetadataValue.json(hashes),
        },
    )
    # observed from the served file itself, after the switch: what a new reader sees now
    counts = " union all ".join(
        f"select '{key.to_user_string()}' as mart, count(*) as row_count from {'.'.join(key.path)}" for key in MARTS
    )
    rows = {r.mart: int(r.row_count) for r in read_frames(served, {"rows": counts})["rows"].itertuples()}
    for key in MARTS:
        yield MaterializeResult(
            asset_key=served_key(key),
            metadata={
                "row_count": rows.get(key.to_user_string(), 0),
                "build_file": MetadataValue.path(str(served.resolve())),
                "published_by_run": context.run_id,
            },
        )
