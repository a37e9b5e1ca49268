"""Publishing: the audited candidate replaces the served file, atomically.

This asset runs only when every upstream dbt model built, every dbt test passed and every blocking
check (validation, GX suites) passed in the same run; otherwise Dagster skips it and the served
file stays byte-identical.
"""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from marketwh.curation.documents import stored_documents
from marketwh.paths import ProjectPaths
from marketwh.warehouse.publish import git_commit, publish, write_build_info

from .keys import SERVED_WAREHOUSE_KEY, mart_keys
from .resources import RefreshLockResource, WarehouseResource


@asset(
    key=SERVED_WAREHOUSE_KEY,
    group_name="serving",
    deps=mart_keys(),
    description="The DuckDB file BI tools read (WAREHOUSE_DB): the audited candidate, published by atomic rename.",
    kinds={"duckdb"},
)
def served_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource, refresh_lock: RefreshLockResource) -> MaterializeResult:
    paths = ProjectPaths.default()
    served, candidate = warehouse.served(), warehouse.candidate()
    commit = git_commit(paths.root)
    hashes = {d.report_id: d.actual_sha256 for d in stored_documents(paths.root)}
    write_build_info(candidate, run_id=context.run_id, commit=commit, report_hashes=hashes)
    rollback = publish(candidate, served)
    context.log.info(f"published {served}" + (f" (previous kept at {rollback})" if rollback else ""))
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(served)),
            "rollback_copy": MetadataValue.path(str(rollback)) if rollback else "none (first publish)",
            "size_bytes": served.stat().st_size,
            "git_commit": commit,
            "report_hashes": MetadataValue.json(hashes),
        }
    )
