"""When a refresh runs, and who hears of a failed one: the `refresh` job, its daily schedule, the
sensor that starts it when a report document or a seed changes, and the run-failure sensor that
alerts an operator.

Change is judged by content hash (sha256 of every file under reports/ and seeds/), not mtime, so a
touched or re-checked-out file that is byte-identical starts nothing. The combined hash is both the
cursor and the run key: the same content never starts two runs. The job runs in one process so the
refresh lock spans the whole run.
"""

import hashlib

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    in_process_executor,
    run_failure_sensor,
    sensor,
)

from marketwh.paths import ProjectPaths
from marketwh.warehouse.alerts import COMMAND_ENV, WEBHOOK_ENV, notify_refresh_failure

from ..monitoring import ALERTED_TAG

REFRESH_TAG = "marketwh/refresh"

refresh_job = define_asset_job(
    name="refresh",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    tags={REFRESH_TAG: "full"},
    description="Validate seeds and documents, dbt build into a candidate file, run the GX audits, publish atomically.",
)

daily_refresh_schedule = ScheduleDefinition(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Full refresh every day at 06:00 UTC: validate, build the candidate, audit, publish.",
)


def content_fingerprint(paths: ProjectPaths) -> str:
    digest = hashlib.sha256()
    for folder in (paths.reports_dir, paths.seeds_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(paths.root)).encode())
            digest.update(b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def changed_inputs_request(context: SensorEvaluationContext, paths: ProjectPaths):
    fingerprint = content_fingerprint(paths)
    if context.cursor is None:
        context.update_cursor(fingerprint)
        return SkipReason(f"baseline recorded: reports and seeds fingerprint {fingerprint[:12]}")
    if context.cursor == fingerprint:
        return SkipReason("reports and seeds unchanged")
    context.update_cursor(fingerprint)
    return RunRequest(run_key=f"inputs-{fingerprint}", tags={"marketwh/trigger": "inputs_changed"})


@sensor(
    name="report_or_seed_changed",
    job=refresh_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a file under reports/ or seeds/ changes content.",
)
def report_or_seed_changed(context: SensorEvaluationContext):
    return changed_inputs_request(context, ProjectPaths.default())


# Every failed refresh on the instance, wherever it ran: `marketwh refresh` from cron or a shell runs the
# job in its own process (no code location), and a sensor that monitors only its own location's jobs
# never hears of those runs. So it watches all runs of the instance and keeps the refresh job's.
@run_failure_sensor(
    name="refresh_failed_alert",
    monitor_all_code_locations=True,
    default_status=DefaultSensorStatus.RUNNING,
    description=f"When a refresh fails (scheduled, sensed, or `marketwh refresh`), runs ${COMMAND_ENV} and/or posts to "
    f"${WEBHOOK_ENV} (marketwh/warehouse/alerts.py).",
)
def refresh_failed_alert(context: RunFailureSensorContext):
    if context.dagster_run.job_name != refresh_job.name or ALERTED_TAG in context.dagster_run.tags:
        return  # alerted already: `marketwh status` failed a refresh whose process was gone, and alerted
    failure = context.failure_event.message or "the refresh failed"
    for outcome in notify_refresh_failure(context.dagster_run.run_id, context.dagster_run.status.value, failure):
        context.log.info(f"alert for run {context.dagster_run.run_id}: {outcome}")
