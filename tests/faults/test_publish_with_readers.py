"""Publishing never blocks on, or breaks, a BI reader: a reader holding the served file open
read-only keeps its old view; readers that (re)connect see the old or the new warehouse whole,
never an error and never a half-written file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time

import duckdb

from marketwh.paths import ProjectPaths
from marketwh.warehouse.publish import publish
from marketwh.warehouse.reader import read_build_info
from tests.helpers import stage_candidate

# A BI tool that keeps one connection open for the whole test.
HOLDER = textwrap.dedent("""
    import json, sys, duckdb
    holder = duckdb.connect(sys.argv[1], read_only=True)
    first = holder.execute("select run_id from marts.warehouse_build").fetchall()[0][0]
    print("ready", flush=True)
    sys.stdin.readline()  # wait until the publishes are done
    last = holder.execute("select run_id from marts.warehouse_build").fetchall()[0][0]
    rows = holder.execute("select count(*) from marts.market_figures").fetchall()[0][0]
    print(json.dumps({"first": first, "last": last, "rows": rows}))
""")

# A dashboard that reconnects for every query. It holds no other connection to the path, so each
# connect opens whatever file the path names now (DuckDB caches open instances per path).
POLLER = textwrap.dedent("""
    import json, sys, time, duckdb
    path, seconds = sys.argv[1], float(sys.argv[2])
    seen, errors = [], []
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                run_id = con.execute("select run_id from marts.warehouse_build").fetchall()[0][0]
                rows = con.execute("select count(*) from marts.market_figures").fetchall()[0][0]
            finally:
                con.close()
            seen.append([run_id, rows])
        except Exception as error:  # any error is a failure of the publish protocol
            errors.append(repr(error))
        time.sleep(0.01)
    print(json.dumps({"seen": seen, "errors": errors}))
""")


def test_readers_see_old_or_new_warehouse_never_an_error(refreshed_project, tmp_path):
    source = ProjectPaths(refreshed_project).default_served_db
    served = tmp_path / "serve" / "warehouse.duckdb"
    served.parent.mkdir()
    shutil.copy2(source, served)
    old_run = read_build_info(served)["run_id"]

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(served)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    poller = subprocess.Popen([sys.executable, "-c", POLLER, str(served), "6"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    assert poller.stdout.readline().strip() == "ready"
    published = []
    for number in range(5):
        candidate = stage_candidate(source, served, f"publish-{number}")
        publish(candidate, served)  # succeeds although a reader holds the served file open
        published.append(f"publish-{number}")
        time.sleep(0.4)
    held = json.loads(holder.communicate("done\n", timeout=60)[0])
    report = json.loads(poller.communicate(timeout=60)[0])

    assert report["errors"] == []
    seen_runs = {run for run, _ in report["seen"]}
    assert seen_runs <= {old_run, *published}
    assert len(seen_runs) >= 3  # new versions appeared while the poller was querying
    assert len({rows for _, rows in report["seen"]}) == 1  # always a whole warehouse
    assert held["first"] == held["last"] == old_run  # the open connection kept its view
    assert held["rows"] == report["seen"][0][1]
    assert read_build_info(served)["run_id"] == published[-1]
    duckdb.connect(str(served), read_only=True).close()


def test_build_looked_up_before_a_publish_still_opens_after_it(refreshed_project, tmp_path):
    """A reader resolves the served link and then opens what it found; a publish may fall between the
    two. The build it found must still exist (it goes at the following publish, not this one)."""
    source = ProjectPaths(refreshed_project).default_served_db
    served = tmp_path / "serve" / "warehouse.duckdb"
    served.parent.mkdir()
    runs = []
    for number in range(3):
        candidate = stage_candidate(source, served, f"publish-{number}")
        looked_up = served.resolve() if served.exists() else None
        publish(candidate, served)
        runs.append((looked_up, f"publish-{number - 1}"))
    (first_lookup, _), (second_lookup, _), (third_lookup, third_run) = runs
    assert first_lookup is None
    assert not second_lookup.exists()  # two publishes ago: pruned
    assert read_build_info(third_lookup)["run_id"] == third_run  # one publish ago: still opens
    assert read_build_info(served)["run_id"] == "publish-2"
