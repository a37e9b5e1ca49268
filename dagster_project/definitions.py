"""Dagster definitions: one module per concern, merged here.

Loading this module reads the dbt manifest prepared by `marketwh prepare`; it never runs dbt and
reads no environment variable (the served path is resolved when a run starts).
"""

from dagster import Definitions, in_process_executor

from .assets_dbt import warehouse_dbt_assets
from .assets_documents import report_documents, seeds_and_documents_valid
from .assets_publish import served_warehouse
from .checks_audit import gx_audit_checks
from .jobs import refresh_job
from .resources import default_resources
from .schedules import daily_refresh_schedule
from .sensors import report_or_seed_changed

defs = Definitions(
    assets=[report_documents, warehouse_dbt_assets, served_warehouse],
    asset_checks=[seeds_and_documents_valid, gx_audit_checks],
    jobs=[refresh_job],
    schedules=[daily_refresh_schedule],
    sensors=[report_or_seed_changed],
    resources=default_resources(),
    executor=in_process_executor,
)
