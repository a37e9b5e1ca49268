"""The refresh job: the whole graph, in one process so the refresh lock spans the run."""

from dagster import AssetSelection, define_asset_job, in_process_executor

REFRESH_TAG = "marketwh/refresh"

refresh_job = define_asset_job(
    name="refresh",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    tags={REFRESH_TAG: "full"},
    description="Validate seeds and documents, dbt build into a candidate file, run the GX audits, publish atomically.",
)
