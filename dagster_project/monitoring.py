"""What the last refresh attempt did, read from the Dagster instance, for `marketwh status`.

Every refresh, whoever started it (the daily schedule, the change sensor, `marketwh refresh`, a
click in the UI), is a run of the `refresh` job on the instance under build/dagster (DAGSTER_HOME),
so the instance is the one record of attempts: when, by what, the outcome and the failed checks.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

TRIGGER_TAG = "marketwh/trigger"


@dataclass
class Attempt:
    run_id: str
    trigger: str
    status: str
    started: datetime | None
    ended: datetime | None
    failed_checks: list[str] = field(default_factory=list)
    advisories: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status not in ("SUCCESS", "STARTED", "STARTING", "QUEUED", "NOT_STARTED")


def _trigger(tags: dict[str, str]) -> str:
    if "dagster/schedule_name" in tags:
        return f"schedule {tags['dagster/schedule_name']}"
    if "dagster/sensor_name" in tags:
        return f"sensor {tags['dagster/sensor_name']}"
    return tags.get(TRIGGER_TAG, "launched from the UI or Dagster's CLI")


def last_refresh_attempt() -> Attempt | None:
    """The newest run of the refresh job on the instance, or None when there has been none."""
    from dagster import DagsterEventType, DagsterInstance, RunsFilter

    with DagsterInstance.get() as instance:
        runs = instance.get_runs(filters=RunsFilter(job_name="refresh"), limit=1)
        if not runs:
            return None
        run = runs[0]
        record = instance.get_run_record_by_id(run.run_id)
        attempt = Attempt(
            run_id=run.run_id,
            trigger=_trigger(dict(run.tags)),
            status=run.status.value,
            started=datetime.fromtimestamp(record.start_time, UTC) if record and record.start_time else None,
            ended=datetime.fromtimestamp(record.end_time, UTC) if record and record.end_time else None,
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
