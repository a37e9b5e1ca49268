"""Faults during a refresh: killed at any step, a full disk, a stale candidate, two refreshes at once,
a BI tool holding the served file. In every case the served file is byte-identical and openable
afterwards, and the next refresh succeeds without manual clean-up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from marketwh.paths import ProjectPaths, ServedPaths
from marketwh.warehouse.lock import refresh_lock
from tests.helpers import file_digest, mounted_tmpfs, project_env, run_marketwh, wait_until
from tests.scenarios import rebuild_and_publish


def served(root: Path) -> Path:
    return ProjectPaths(root).default_served_db


def candidate(root: Path) -> Path:
    return ServedPaths(served(root)).candidate


def start_refresh(root: Path, log: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "marketwh.cli", "refresh"],
        cwd=root,
        env=project_env(root, **env),
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the test's own group is never signalled; the test kills the command's pid only
    )


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that mention `text` (e.g. the project's candidate path)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and text in cmdline:
            found.append(f"{entry.name}: {cmdline[:160]}")
    return found


def assert_served_intact(root: Path, digest: str) -> None:
    assert file_digest(served(root)) == digest
    con = duckdb.connect(str(served(root)), read_only=True)
    assert con.execute("select count(*) from marts.market_figures").fetchall()[0][0] > 0
    con.close()


def assert_next_refresh_succeeds(root: Path, digest: str) -> None:
    result = run_marketwh(root, "refresh")
    assert result.returncode == 0, result.stderr[-3000:]
    assert file_digest(served(root)) != digest
    assert not candidate(root).exists()


def _dbt_is_writing(root: Path) -> bool:
    return candidate(root).exists() and candidate(root).stat().st_size > 0


# Where a kill lands decides what it can leave behind: dbt is the one step with a child process (which
# must die with the command, whatever the signal) and a half-written candidate; the publish the one step
# with half-done served files. The audit step (GX) ran here too, under both signals, and was dropped: it
# has no child and writes nothing, so a kill there takes the paths the dbt cases take: SIGKILL is the
# kernel's whatever the step (the flock released, the run left STARTED for `status`: dbt-sigkill), and
# SIGTERM is Dagster's interrupt unwinding the run from whichever step runs in process (dbt-sigterm).
@pytest.mark.parametrize(
    "moment, env, started, sig",
    [
        ("dbt", {}, _dbt_is_writing, signal.SIGKILL),
        ("dbt", {}, _dbt_is_writing, signal.SIGTERM),
        (
            "publish",
            {"MARKETWH_FAILPOINTS": "publish.before_rename=sleep:300"},
            "failpoint publish.before_rename: sleeping",
            signal.SIGKILL,
        ),
    ],
    ids=["dbt-sigkill", "dbt-sigterm", "publish-sigkill"],
)
def test_refresh_killed_mid_step_loses_nothing(published_project, tmp_path, moment, env, started, sig):
    root = published_project
    before = file_digest(served(root))
    log = tmp_path / "refresh.log"
    process = start_refresh(root, log, **env)
    if callable(started):
        wait_until(lambda: started(root), what=f"{moment} to start")
    else:
        wait_until(lambda: started in log.read_text(), what=f"{moment} to start")
    os.kill(process.pid, sig)  # the command's own process, as a person or a scheduler stops it
    process.wait(timeout=30)
    if sig == signal.SIGKILL:  # nothing wrote the run's end: status finds its process gone
        status = run_marketwh(root, "status")
        assert status.returncode == 1 and "is gone while its run was STARTED" in status.stdout, status.stdout + status.stderr
    # nothing the refresh started outlives it (dbt would go on writing the candidate without the lock)
    wait_until(lambda: not processes_mentioning(str(candidate(root))), timeout=10, what="the refresh's children to end")
    left = candidate(root)
    written = (left.stat().st_size, left.stat().st_mtime_ns) if left.exists() else None
    time.sleep(3)  # and nobody writes the candidate any more
    assert ((left.stat().st_size, left.stat().st_mtime_ns) if left.exists() else None) == written
    assert_served_intact(root, before)
    with refresh_lock(served(root), wait_seconds=0):  # released with the killed process: no clean-up
        pass
    # what the next refresh does with the half-built candidate a kill in dbt leaves is
    # test_candidate_left_behind_by_a_crashed_run_is_discarded's; a kill in the publish leaves its own
    # files (the build renamed into place, its pristine copy): the next publish, on a rebuilt stamp in
    # process, goes through them
    if moment == "publish":
        outcome = rebuild_and_publish(root, "")
        assert outcome.success, outcome.summary()
        assert file_digest(served(root)) != before
        assert not candidate(root).exists()


def test_candidate_left_behind_by_a_crashed_run_is_discarded(published_project):
    root = published_project
    before = file_digest(served(root))
    candidate(root).write_bytes(b"half-written garbage from a crashed run")
    candidate(root).with_name("warehouse.duckdb.wal").write_bytes(b"\x00" * 128)
    assert_next_refresh_succeeds(root, before)


def test_second_refresh_refuses_while_one_runs_and_the_first_publishes(published_project, tmp_path):
    root = published_project
    before = file_digest(served(root))
    # the first refresh pauses in its audit until the second has started up, reached the lock and been
    # refused (no fixed sleep: a loaded machine takes over 30 s to start a refresh, an idle one 10 s)
    go_on = tmp_path / "second-refused"
    first = start_refresh(root, tmp_path / "first.log", MARKETWH_FAILPOINTS=f"gx=wait:{go_on}")
    wait_until(lambda: "failpoint gx: waiting" in (tmp_path / "first.log").read_text(), what="first refresh to reach GX")
    second = run_marketwh(root, "refresh", MARKETWH_REFRESH_WAIT_SECONDS="1")
    assert second.returncode == 1
    assert "another refresh of" in second.stderr and "is running" in second.stderr
    assert file_digest(served(root)) == before  # the refused refresh touched nothing
    refused = next(line.split()[1].rstrip(":") for line in second.stderr.splitlines() if line.startswith("run "))
    status = run_marketwh(root, "status")  # a refusal is not an attempt: the last attempt is the first refresh
    assert f"last refresh attempt: run {refused}" not in status.stdout and "last refresh attempt: run " in status.stdout
    go_on.touch()
    assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()[-3000:]
    assert file_digest(served(root)) != before


HOLD_READ_WRITE = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])            # read-write, by mistake: holds DuckDB's write lock
run = con.execute("select run_id from marts.warehouse_build").fetchall()[0][0]
print(run, flush=True)
sys.stdin.readline()
print(con.execute("select run_id from marts.warehouse_build").fetchall()[0][0], flush=True)
"""


@pytest.mark.parametrize("read_only", [True, False])
def test_bi_tool_holding_the_served_file_never_fails_a_refresh(published_project, read_only):
    root = published_project
    script = HOLD_READ_WRITE.replace("duckdb.connect(sys.argv[1])", f"duckdb.connect(sys.argv[1], read_only={read_only})")
    holder = subprocess.Popen([sys.executable, "-c", script, str(served(root))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    old_run = holder.stdout.readline().strip()
    # the holder can only get in the way of what reads or replaces the served file: the gate (which
    # compares the candidate with what is served) and the publish, run in process on a rebuilt stamp
    outcome = rebuild_and_publish(root, "")
    assert outcome.success, outcome.summary()
    still_seen = holder.communicate("\n", timeout=60)[0].strip()
    assert still_seen == old_run  # the holder keeps its old view until it reconnects
    con = duckdb.connect(str(served(root)), read_only=True)
    assert con.execute("select run_id from marts.warehouse_build").fetchall()[0][0] != old_run
    con.close()


@pytest.fixture
def small_filesystem(published_project, tmp_path):
    # room for the served file and half as much again: not for a second warehouse
    size_mib = served(published_project).stat().st_size * 3 // 2 // 2**20 + 1
    with mounted_tmpfs(tmp_path / "small", f"size={size_mib}m") as mount_point:
        yield mount_point


def test_full_disk_on_the_candidate_path_leaves_served_file_intact(published_project, small_filesystem):
    root = published_project
    served_here = small_filesystem / "warehouse.duckdb"
    served_here.write_bytes(served(root).read_bytes())  # no room left for a second warehouse
    before = file_digest(served_here)
    result = run_marketwh(root, "refresh", WAREHOUSE_DB=str(served_here))
    assert result.returncode == 1
    assert "No space left on device" in result.stdout + result.stderr
    assert "nothing published" in result.stderr
    assert file_digest(served_here) == before
    duckdb.connect(str(served_here), read_only=True).close()
    # space freed: the next refresh succeeds without any clean-up
    # room for every copy a publish keeps: the served build, the one before it, its pristine copy, the candidate
    room_mib = served(root).stat().st_size * 5 // 2**20 + 1
    subprocess.run(["mount", "-o", f"remount,size={room_mib}m", str(small_filesystem)], check=True)
    # what the failed run left (its candidate, a publish's copies) is met by the next run's candidate and
    # publish, run in process on a rebuilt stamp: a whole refresh would only add a dbt build of every model
    again = rebuild_and_publish(root, "", served=served_here)
    assert again.success, again.summary()
    assert file_digest(served_here) != before
    assert not ServedPaths(served_here).candidate.exists()
