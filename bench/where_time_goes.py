"""Where a refresh's time goes, read from a project the benchmark kept (`bench/run.py --keep`): the
steps of its last Dagster refresh run (from the run's event log), the slowest dbt nodes of that run
(dbt's run_results.json), and a pyinstrument profile of `marketwh validate` on the same inputs.

    .venv/bin/python bench/where_time_goes.py /tmp/bench/n10000 [--no-profile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from marketwh.paths import ProjectPaths


def _timestamp(value) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def refresh_steps(project: Path) -> list[tuple[str, float]]:
    """(step, seconds) of the project's last refresh run, plus the time before its first step."""
    history = ProjectPaths(project).default_dagster_home / "history"
    with sqlite3.connect(history / "runs.db") as runs:
        ((run_id, created),) = runs.execute("select run_id, create_timestamp from runs order by create_timestamp desc limit 1").fetchall()
    with sqlite3.connect(history / "runs" / f"{run_id}.db") as events:
        rows = events.execute("select dagster_event_type, timestamp, step_key from event_logs order by id").fetchall()
    starts, steps = {}, []
    for kind, stamp, step in rows:
        if kind == "STEP_START":
            starts[step] = _timestamp(stamp)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step in starts:
            steps.append((step, (_timestamp(stamp) - starts[step]).total_seconds()))
    before = (_timestamp(rows[0][1]) - _timestamp(created)).total_seconds()
    return [("run created -> first event", before), *steps]


def slowest_dbt_nodes(project: Path, count: int = 10) -> list[tuple[str, float]]:
    runs = sorted(ProjectPaths(project).dbt_runs.glob("*/run_results.json"), key=lambda p: p.stat().st_mtime)
    results = json.loads(runs[-1].read_text(encoding="utf-8"))
    timed = sorted(((r["unique_id"], r["execution_time"]) for r in results["results"]), key=lambda item: -item[1])
    return [("dbt elapsed (2 threads)", results["elapsed_time"]), *timed[:count]]


def validate_profile(project: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(project)}
    command = [sys.executable, "-m", "pyinstrument", "--show-all", "-m", "marketwh.cli", "validate"]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    print("| refresh step | seconds |\n|---|---:|")
    for step, seconds in refresh_steps(args.project):
        print(f"| {step} | {seconds:.1f} |")
    print("\n| dbt node | seconds |\n|---|---:|")
    for node, seconds in slowest_dbt_nodes(args.project):
        print(f"| {node} | {seconds:.1f} |")
    if not args.no_profile:
        print("\n" + validate_profile(args.project))
    return 0


if __name__ == "__main__":
    sys.exit(main())
