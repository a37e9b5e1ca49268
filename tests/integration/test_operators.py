"""What an operator runs keeps no process alive after it is stopped: `marketwh ui` stopped by its
process id (as a service manager stops it) takes the Dagster UI, daemon and code server with it; the
webserver and daemon services refresh on a seed edit, alert on any failed refresh, and stop cleanly."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from marketwh.paths import ProjectPaths
from tests.helpers import project_env, run_marketwh, wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_sigterm_to_marketwh_ui_stops_everything_it_started(project, tmp_path):
    port = free_port()
    log = open(tmp_path / "ui.log", "w")  # noqa: SIM115 - the UI writes to it until it is stopped
    ui = subprocess.Popen(
        [sys.executable, "-m", "marketwh.cli", "ui", "--port", str(port)],
        cwd=project,
        env=project_env(project),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/server_info"), 240, "the Dagster UI to answer")
        started = descendants(ui.pid)
        assert started, "marketwh ui started no process"
        os.kill(ui.pid, signal.SIGTERM)  # only the command's own process, as systemd or a person would
        ui.wait(timeout=60)
        wait_until(lambda: not answers(f"http://127.0.0.1:{port}/server_info"), 30, "the UI to stop answering")
        wait_until(lambda: not any(alive(pid) for pid in started), 30, "every process marketwh ui started to end")
    finally:
        for pid in descendants(ui.pid) | {ui.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()


def start_service(project, name: str, log_path: Path, *args: str, **env: str) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - closed when the process is reaped
    return subprocess.Popen(
        [sys.executable, "-m", "marketwh.cli", name, *args],
        cwd=project,
        env=project_env(project, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def sensor_cursor(home: Path) -> str | None:
    """The change sensor's cursor on the instance the services use (None before its first tick)."""
    from dagster import DagsterInstance
    from dagster._core.scheduler.instigation import InstigatorType

    with DagsterInstance.from_config(str(home)) as instance:
        for state in instance.all_instigator_state(instigator_type=InstigatorType.SENSOR):
            if state.name == "report_or_seed_changed" and state.instigator_data and state.instigator_data.cursor:
                return state.instigator_data.cursor
    return None


def sensor_runs(home: Path) -> list:
    from dagster import DagsterInstance, RunsFilter

    with DagsterInstance.from_config(str(home)) as instance:
        return list(instance.get_runs(filters=RunsFilter(job_name="refresh", tags={"dagster/sensor_name": "report_or_seed_changed"})))


def test_webserver_and_daemon_services_refresh_on_a_seed_edit_alert_on_a_failure_and_stop_cleanly(project, tmp_path):
    home = ProjectPaths(project).default_dagster_home
    port = free_port()
    alerts = tmp_path / "alerts.txt"
    webserver = start_service(project, "webserver", tmp_path / "webserver.log", "--port", str(port))
    daemon = start_service(
        project, "daemon", tmp_path / "daemon.log", MARKETWH_ALERT_COMMAND=f'echo "$MARKETWH_RUN_ID $MARKETWH_RUN_STATUS" >> {alerts}'
    )
    services = [webserver, daemon]
    try:
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/server_info"), 240, "the webserver to answer")
        wait_until(lambda: sensor_cursor(home) is not None, 240, "the change sensor's first tick (its baseline)")
        assert sensor_runs(home) == []
        with open(project / "seeds" / "segment_synonyms.csv", "a", encoding="utf-8") as seeds:
            seeds.write("region,planet earth,global\n")  # a valid edit: a new wording for the whole market
        wait_until(
            lambda: any(run.status.value == "SUCCESS" for run in sensor_runs(home)),
            420,
            "the sensor-started refresh to succeed: " + (tmp_path / "daemon.log").read_text()[-2000:],
        )
        assert ProjectPaths(project).default_served_db.exists()
        status = run_marketwh(project, "status")
        assert status.returncode == 0 and "sensor report_or_seed_changed" in status.stdout, status.stdout + status.stderr
        # a refresh from the command line (cron, a shell) fails: the daemon's failure sensor hears of it too
        # (it fails as it starts to build: any failed step is a failed run, and no build is paid for)
        failed = run_marketwh(project, "refresh", MARKETWH_FAILPOINTS="dbt.before_build=raise")
        assert failed.returncode == 1, failed.stdout + failed.stderr
        (run_id,) = re.findall(r"run ([0-9a-f-]{36}): FAILED", failed.stdout + failed.stderr)
        wait_until(
            lambda: alerts.exists() and f"{run_id} FAILURE" in alerts.read_text(),
            180,
            "the failure alert for the command-line refresh: " + (tmp_path / "daemon.log").read_text()[-2000:],
        )
        status = run_marketwh(project, "status")
        assert status.returncode == 1 and f"run {run_id}, command marketwh refresh" in status.stdout, status.stdout + status.stderr
        started = set().union(*(descendants(service.pid) for service in services))
        for service in services:
            os.kill(service.pid, signal.SIGTERM)
        for service in services:
            # a requested stop: 128 + SIGTERM, which deploy/systemd's units declare a success (SuccessExitStatus=143)
            assert service.wait(timeout=120) == 128 + signal.SIGTERM
        wait_until(lambda: not answers(f"http://127.0.0.1:{port}/server_info"), 30, "the webserver to stop answering")
        wait_until(lambda: not any(alive(pid) for pid in started), 60, "every process the services started to end")
    finally:
        for service in services:
            for pid in descendants(service.pid) | {service.pid}:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
