"""What the last refresh attempt did, read from the Dagster instance, for `marketwh status`.

Every refresh, whoever started it (the daily schedule, the change sensor, `marketwh refresh`, a
click in the UI), is a run of the `refresh` job on the instance under build/dagster (DAGSTER_HOME),
so the instance is the one record of attempts: when, by what, the outcome and the failed checks.

The record is only as true as the runs' ends: a refresh killed with SIGKILL (or the OOM killer, or a
reboot) never writes its failure and stays STARTED forever. Dagster's run monitoring cannot see it: it
checks run workers through the run launcher, and neither the default launcher nor an in-process run
(`marketwh refresh`) supports that check. So each run tags itself with its owner process (host, pid
and the process's start time, read from /proc: a recycled pid is not the same process) when it takes
the refresh lock, and `last_refresh_attempt` fails a STARTED run whose owner is gone, and fires the
failure alert once (the run is tagged as alerted, so the daemon's failure sensor does not alert again).
A run counts as an attempt at this served file only when it served it (its served tag; runs from
before the tag count) and was not refused by the refresh lock (it never started building).
"""

from __future__ import annotations

import functools
import json
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

TRIGGER_TAG = "marketwh/trigger"
OWNER_TAG = "marketwh/owner"  # host:pid:start time of the process running the refresh
SERVED_TAG = "marketwh/served"  # the served path (WAREHOUSE_DB) the run refreshes
REFUSED_TAG = "marketwh/lock_refused"  # the refresh lock refused the run: another refresh was running
ALERTED_TAG = "marketwh/alerted"  # the failure alert was sent outside the failure sensor
RUNNING = ("STARTED", "STARTING")
SCANNED_RUNS = 200  # newest refresh runs looked through for the last attempt at this served file


@dataclass
class Attempt:
    run_id: str
    trigger: str
    status: str
    started: datetime | None
    ended: datetime | None
    failed_checks: list[str] = field(default_factory=list)
    advisories: list[str] = field(default_factory=list)
    abandoned: str = ""  # why a STARTED run was failed here, and what its alert did

    @property
    def failed(self) -> bool:
        return self.status not in ("SUCCESS", "STARTED", "STARTING", "QUEUED", "NOT_STARTED")


def _trigger(tags: dict[str, str]) -> str:
    if "dagster/schedule_name" in tags:
        return f"schedule {tags['dagster/schedule_name']}"
    if "dagster/sensor_name" in tags:
        return f"sensor {tags['dagster/sensor_name']}"
    return tags.get(TRIGGER_TAG, "launched from the UI or Dagster's CLI")


def served_tag(served: Path) -> str:
    """The served path as a run records it: absolute, links not followed (the served path is a link)."""
    return os.path.abspath(served)


def _start_time(pid: int) -> str:
    """The start time of process `pid` in clock ticks since boot (/proc/<pid>/stat field 22); "" when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]


def process_owner(pid: int | None = None) -> str:
    """This process (or `pid`) as a run's owner tag: host:pid:start time."""
    pid = pid or os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}"


def owner_gone(owner: str | None) -> bool:
    """Whether the process an owner tag names has ended: it ran on this host and its pid is no longer
    that process. False when that cannot be told (no tag, another host)."""
    if not owner or owner.count(":") < 2:
        return False
    host, pid, started = owner.rsplit(":", 2)
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, owned by another user
    return bool(started) and _start_time(int(pid)) not in ("", started)


def _last_run(instance, served: Path | None):
    """The newest refresh run that attempted `served`: lock refusals and runs of another served path skipped."""
    from dagster import RunsFilter

    wanted = served_tag(served) if served is not None else None
    for run in instance.get_runs(filters=RunsFilter(job_name="refresh"), limit=SCANNED_RUNS):
        tags = dict(run.tags)
        if tags.get(REFUSED_TAG) or (wanted and tags.get(SERVED_TAG, wanted) != wanted):
            continue
        return run
    return None


def _fail_abandoned(instance, run) -> str:
    """Mark `run`, whose process is gone, failed on the instance and send the failure alert once."""
    from marketwh.warehouse.alerts import notify_refresh_failure

    pid = dict(run.tags)[OWNER_TAG].rsplit(":", 2)[1]
    message = (
        f"the refresh process (pid {pid}) is gone while its run was {run.status.value}: it was killed (SIGKILL, the OOM "
        "killer, a reboot) before it finished; BI tools read the build served before it. Run the refresh again"
    )
    instance.add_run_tags(run.run_id, {ALERTED_TAG: "marketwh status"})  # before the failure event the sensor reads
    instance.report_run_failed(run, message)
    outcomes = notify_refresh_failure(run.run_id, "FAILURE", message)
    return f"{message}. Failure alert: {'; '.join(outcomes)}"


def last_refresh_attempt(served: Path | None = None) -> Attempt | None:
    """The newest run of the refresh job on the instance that attempted `served` (any, when None),
    or None when there has been none. A STARTED run whose process is gone is failed here."""
    from dagster import DagsterEventType, DagsterInstance

    with DagsterInstance.get() as instance:
        run = _last_run(instance, served)
        if run is None:
            return None
        abandoned = ""
        if run.status.value in RUNNING and owner_gone(dict(run.tags).get(OWNER_TAG)):
            abandoned = _fail_abandoned(instance, run)
            run = instance.get_run_by_id(run.run_id)
        record = instance.get_run_record_by_id(run.run_id)
        attempt = Attempt(
            run_id=run.run_id,
            trigger=_trigger(dict(run.tags)),
            status=run.status.value,
            started=datetime.fromtimestamp(record.start_time, UTC) if record and record.start_time else None,
            ended=datetime.fromtimestamp(record.end_time, UTC) if record and record.end_time else None,
            abandoned=abandoned,
        )
        events = instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        for entry in events:
            evaluation = entry.dagster_event.event_specific_data
            if evaluation.passed:
                continue
            line = f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}: {describe_check_failure(evaluation, run.run_id)}"
            (attempt.advisories if evaluation.severity.value == "WARN" else attempt.failed_checks).append(line)
        return attempt


def describe_check_failure(evaluation, run_id: str) -> str:
    """What failed and what to do, for a failed asset check. GX and validation checks carry their
    own description; a dbt test's is built from the manifest: the test, its model and column, how
    many rows fail, and where its SQL is to see them."""
    if evaluation.description:
        return evaluation.description
    metadata = {key: getattr(value, "value", value) for key, value in (evaluation.metadata or {}).items()}
    node = _manifest_node(str(metadata.get("unique_id", "")))
    if node is None:
        return "failed (no description); open the run in the Dagster UI for its logs"
    test = (node.get("test_metadata") or {}).get("name") or node["name"]
    # a generic test is attached to its model; a singular test names the models it reads
    models = [node["attached_node"]] if node.get("attached_node") else node.get("depends_on", {}).get("nodes", [])
    model = ", ".join(m.rsplit(".", 1)[-1] for m in models) or evaluation.asset_key.to_user_string()
    column = f", column {node['column_name']}" if node.get("column_name") else ""
    failing = metadata.get("dagster_dbt/failed_row_count")
    rows = f"{failing} failing row(s)" if failing is not None else "it failed"
    from marketwh.paths import ProjectPaths

    paths = ProjectPaths.default()
    compiled = paths.dbt_runs / run_id / "compiled" / node["package_name"] / node["original_file_path"]
    candidate = paths.served().candidate
    return (
        f"dbt test {test} on model {model}{column}: {rows} in the candidate{_curated_where(compiled, candidate, paths.seeds_dir)}. "
        f"A model invariant broke: see the rows with the test's SQL ({_shown(compiled, paths.root)}) against "
        f"{_shown(candidate, paths.root)}, then fix the model under dbt/models (or, if an input caused it, add the input rule "
        "to the validator)."
    )


def _shown(path: Path, root: Path) -> str:
    """A path as the operator reads it: relative to the checkout when it is inside it."""
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _curated_where(sql_file: Path, candidate: Path, seeds_dir: Path, shown: int = 3) -> str:
    """Where the first failing rows come from in the seeds (when they name figures or claims), read by
    running the test's compiled SQL on the candidate; "" when that cannot be read (Spark, cleaned up)."""
    from marketwh.curation.lookup import ids_in_rows, seed_lines
    from marketwh.warehouse.reader import read_frames

    try:
        sql = sql_file.read_text(encoding="utf-8").strip().rstrip(";")
        rows = read_frames(candidate, {"failing": f"select * from ({sql}) as failing limit 20"})["failing"].to_dict("records")
    except Exception:  # a hint only: never let it hide the failure it is about
        return ""
    lines = seed_lines(ids_in_rows(rows), seeds_dir)
    if not lines:
        return ""
    more = f" and {len(lines) - shown} more" if len(lines) > shown else ""
    return f"; the first failing rows come from {', '.join(lines[:shown])}{more}"


def _manifest_node(unique_id: str) -> dict | None:
    from .project import dbt_project

    return _manifest_nodes(str(dbt_project.manifest_path)).get(unique_id)


@functools.lru_cache(maxsize=1)
def _manifest_nodes(manifest_path: str) -> dict:
    """The manifest's nodes, read once however many dbt tests failed."""
    try:
        return json.loads(Path(manifest_path).read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError):
        return {}
