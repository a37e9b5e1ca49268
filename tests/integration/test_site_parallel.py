"""Issue 26: a full render's report and market pages written by worker processes (marketwh/site/parallel.py)
equal the serial render's file by file, their reuse records reach reuse.json, a worker's error fails the
render (and build_site removes its folder) and no worker outlives a render killed by SIGKILL.

Cheap level: the renderer in process on the shared dbt-built warehouse (`built_warehouse`), the threshold
lowered so its few reports are written by two workers."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import marketwh.site.parallel as site_parallel
import marketwh.site.writer as site_writer
from marketwh.failpoints import ENV as FAILPOINTS_ENV
from marketwh.paths import ServedPaths
from marketwh.site.build import build_site, render_site
from marketwh.site.data import read_site_data
from marketwh.site.reuse import MANIFEST, reused
from tests.faults.test_site_attacks import _publish
from tests.integration.test_site_reuse import SITE_BUILT


def _tree(site: Path) -> dict[str, bytes]:
    """Every file of a site, byte for byte, the minute it was built left out."""
    return {p.relative_to(site).as_posix(): SITE_BUILT.sub(b"", p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()}


def test_pages_written_by_workers_equal_the_serial_render_and_are_recorded_for_reuse(built_warehouse, tmp_path, monkeypatch):
    root = built_warehouse.parents[1]
    read_in_this_process: list[str] = []
    real = site_writer.report_rows
    monkeypatch.setattr(site_writer, "report_rows", lambda reader, key: read_in_this_process.append(key) or real(reader, key))
    serial = render_site(read_site_data(built_warehouse), tmp_path / "serial", root, processes=1, parallel_from=1)
    reports = len(read_in_this_process)
    assert reports > 1
    read_in_this_process.clear()
    parallel = render_site(read_site_data(built_warehouse), tmp_path / "parallel", root, processes=2, parallel_from=1)
    assert read_in_this_process == []  # every report page was written by a worker
    # the pages returned in the same order, and every file the same, reuse.json (digests, files) included
    assert [p.relative_to(tmp_path / "parallel") for p in parallel] == [p.relative_to(tmp_path / "serial") for p in serial]
    ours, theirs = _tree(tmp_path / "parallel"), _tree(tmp_path / "serial")
    assert sorted(ours) == sorted(theirs) and len(ours) > 3 * reports
    assert [name for name in ours if ours[name] != theirs[name]] == []
    # the files each worker wrote are recorded: the next build reuses every page
    record = json.loads(ours[MANIFEST])
    assert len(record["reports"]) == reports and all(entry["digest"] and entry["files"] for entry in record["reports"].values())
    render_site(read_site_data(built_warehouse), tmp_path / "next", root, previous=tmp_path / "parallel", processes=2, parallel_from=1)
    assert read_in_this_process == [] and reused(tmp_path / "next") == (reports, reports)
    assert reused(tmp_path / "next", "markets")[0] == len(record["markets"]) > 0


def test_a_workers_error_fails_the_site_build_which_leaves_no_folder(built_warehouse, tmp_path, monkeypatch):
    root, served = _publish(built_warehouse, tmp_path)
    monkeypatch.setattr(site_parallel, "PARALLEL_FROM", 1)
    monkeypatch.setenv(site_parallel.PROCESSES_ENV, "2")
    monkeypatch.setenv(FAILPOINTS_ENV, "site.worker=raise")
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"failpoint site\.worker: raised"):
        build_site(served, root, docs=False)
    assert time.monotonic() - started < 120  # raised, not hung
    assert multiprocessing.active_children() == []  # the workers were waited for
    builds = ServedPaths(served).site_builds
    assert not builds.exists() or list(builds.iterdir()) == []  # build_site removed its half-written folder
    monkeypatch.setenv(site_parallel.PROCESSES_ENV, "none")
    with pytest.raises(Exception, match="MARKETWH_SITE_PROCESSES='none'"):
        build_site(served, root, docs=False)


def _children(pid: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_workers_die_with_a_render_killed_by_sigkill(built_warehouse, tmp_path):
    code = (
        "import sys; from pathlib import Path; from marketwh.site.build import render_site;"
        "from marketwh.site.data import read_site_data;"
        "render_site(read_site_data(Path(sys.argv[1])), Path(sys.argv[2]), Path(sys.argv[3]), processes=2, parallel_from=1)"
    )
    env = {**os.environ, FAILPOINTS_ENV: "site.worker=sleep:300"}
    args = [sys.executable, "-c", code, str(built_warehouse), str(tmp_path / "site"), str(built_warehouse.parents[1])]
    render = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in render.stdout:  # until a worker is in its task
            if "failpoint site.worker: sleeping" in line:
                break
        else:
            pytest.fail(f"the render ended without starting a task: exit {render.wait()}")
        workers = _children(render.pid)
        assert len(workers) >= 2  # the workers (and multiprocessing's resource tracker)
        render.send_signal(signal.SIGKILL)
        render.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in workers if _alive(pid)] == []
    finally:
        render.kill()
        render.wait(timeout=30)
