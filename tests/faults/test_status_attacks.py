"""Issue 23, class 8 (and the status part of class 5): `marketwh status` tells the truth. A refresh killed
with SIGKILL is failed and alerted, not STARTED forever; a candidate locked by a running dbt build is
skipped with a sentence, not a traceback; only this served file's attempts count, and lock refusals
are not attempts; a served file overwritten by something else makes status exit 1.

Cheap level: a scratch project whose served file is published from the shared dbt-built warehouse,
runs written straight onto its Dagster instance, and one `marketwh` process per question."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from dagster_project.monitoring import OWNER_TAG, REFUSED_TAG, SERVED_TAG, process_owner, served_tag
from marketwh.paths import DAGSTER_HOME_ENV, ProjectPaths, ServedPaths
from marketwh.warehouse.publish import publish
from tests.helpers import run_marketwh


@pytest.fixture
def served(project, built_warehouse):
    """The scratch project's served file: a published copy of the dbt-built warehouse."""
    served = ProjectPaths(project).default_served_db
    candidate = ServedPaths(served).candidate
    candidate.parent.mkdir(parents=True)
    shutil.copyfile(built_warehouse, candidate)
    publish(candidate, served)
    return served


@pytest.fixture
def instance(project, monkeypatch):
    """The scratch project's Dagster instance, open in this process."""
    from dagster import DagsterInstance

    from dagster_project.runner import ensure_dagster_home

    monkeypatch.setenv(DAGSTER_HOME_ENV, str(ProjectPaths(project).default_dagster_home))
    ensure_dagster_home(ProjectPaths(project))
    with DagsterInstance.get() as instance:
        yield instance


def _run(instance, status: str, **tags: str) -> str:
    from dagster import DagsterRunStatus
    from dagster._core.storage.dagster_run import DagsterRun
    from dagster._core.utils import make_new_run_id

    run = DagsterRun(job_name="refresh", run_id=make_new_run_id(), status=DagsterRunStatus(status), tags=tags)
    instance.add_run(run)
    return run.run_id


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_started_run_whose_process_is_gone_is_failed_and_alerted_once(project, served, instance, tmp_path):
    alerts = tmp_path / "alerts.txt"
    run_id = _run(instance, "STARTED", **{OWNER_TAG: process_owner(_dead_pid()), SERVED_TAG: served_tag(served)})
    command = f'echo "$MARKETWH_RUN_ID $MARKETWH_RUN_STATUS" >> {alerts}'
    first = run_marketwh(project, "status", MARKETWH_ALERT_COMMAND=command)
    assert first.returncode == 1, first.stdout + first.stderr
    assert f"run {run_id}" in first.stdout and "FAILURE" in first.stdout and "is gone while its run was STARTED" in first.stdout
    assert "Failure alert: command exited 0" in first.stdout
    assert instance.get_run_by_id(run_id).status.value == "FAILURE"
    second = run_marketwh(project, "status", MARKETWH_ALERT_COMMAND=command)
    assert second.returncode == 1 and "failed" in second.stderr
    assert alerts.read_text().splitlines() == [f"{run_id} FAILURE"]  # alerted once


def test_a_started_run_whose_process_lives_is_running(project, served, instance):
    run_id = _run(instance, "STARTED", **{OWNER_TAG: process_owner(), SERVED_TAG: served_tag(served)})
    result = run_marketwh(project, "status")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"run {run_id}" in result.stdout and result.stdout.rstrip().splitlines()[-2].endswith("STARTED")
    assert instance.get_run_by_id(run_id).status.value == "STARTED"


def test_only_attempts_at_this_served_file_count_and_lock_refusals_do_not(project, served, instance, tmp_path):
    ours = _run(instance, "SUCCESS", **{SERVED_TAG: served_tag(served)})
    _run(instance, "FAILURE", **{SERVED_TAG: str(tmp_path / "elsewhere" / "warehouse.duckdb")})
    _run(instance, "FAILURE", **{SERVED_TAG: served_tag(served), REFUSED_TAG: "true"})
    result = run_marketwh(project, "status")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"last refresh attempt: run {ours}" in result.stdout and "SUCCESS" in result.stdout


def test_a_candidate_locked_by_a_running_build_is_skipped_with_a_sentence(project, served, instance):
    _run(instance, "STARTED", **{OWNER_TAG: process_owner(), SERVED_TAG: served_tag(served)})  # the refresh building it
    candidate = ServedPaths(served).candidate
    shutil.copyfile(ServedPaths.pristine(served.resolve()), candidate)
    candidate.chmod(0o644)
    holder = subprocess.Popen(  # dbt building the candidate holds it for writing
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(candidate)!r}); print('held', flush=True); time.sleep(300)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        results = {command: run_marketwh(project, command) for command in ("findings", "status")}
        assert results["findings"].returncode == 0, results["findings"].stderr[-2000:]
        key = next(line.split()[0] for line in results["findings"].stdout.splitlines() if line.strip())
        results["acknowledge"] = run_marketwh(project, "acknowledge", key, "--reason", "as printed", "--by", "analyst")
    finally:
        holder.kill()
        holder.wait()
    for command, result in results.items():
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr and "Could not set lock" not in result.stdout + result.stderr
    assert "a refresh is building its candidate now" in results["findings"].stderr
    assert "a refresh is building its candidate now" in results["status"].stdout


def test_a_served_file_overwritten_by_something_else_fails_status(project, served):
    build = served.resolve()
    build.chmod(0o644)
    served.write_text("figure_id,value\nx,1\n")  # e.g. a command's CSV output written through the served link
    result = run_marketwh(project, "status")
    assert result.returncode == 1
    assert "is no longer a DuckDB database" in result.stderr and "Traceback" not in result.stderr
