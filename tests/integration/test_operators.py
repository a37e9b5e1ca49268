"""What an operator runs keeps no process alive after it is stopped: `marketwh ui` stopped by its
process id (as a service manager stops it) takes the Dagster UI, daemon and code server with it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import project_env


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


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


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
