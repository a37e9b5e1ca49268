"""The daily full refresh."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from .jobs import refresh_job

daily_refresh_schedule = ScheduleDefinition(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Full refresh every day at 06:00 UTC: validate, build the candidate, audit, publish.",
)
