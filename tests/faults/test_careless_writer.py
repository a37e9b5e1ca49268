"""A BI tool that opens the served file read-write by mistake (DBeaver's and `duckdb.connect()`'s
default) cannot change what a new reader opens after the next publish, nor the rollback copy.

The sequence the operators' issue reproduced with the project's own publish(): a writer connects,
a refresh publishes, the writer writes, new readers connect, the writer closes (checkpointing into
the file it opened)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

from marketwh.paths import ProjectPaths, ServedPaths
from marketwh.warehouse.publish import publish
from marketwh.warehouse.reader import read_frames
from tests.helpers import file_digest, stage_candidate

CARELESS_WRITER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])  # read-write: the default of duckdb.connect() and DBeaver
    print("connected", flush=True)
    sys.stdin.readline()  # a publish happens now
    con.execute("insert into marts.warehouse_build (run_id) values ('written-by-a-careless-client')")
    con.execute("create table marts.careless as select 1 as x")
    print("wrote", flush=True)
    sys.stdin.readline()
    con.close()  # checkpoints into the file it opened
    print("closed", flush=True)
""")

READER = (
    "import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
    "print(sorted(r[0] for r in c.execute('select run_id from marts.warehouse_build').fetchall()), "
    "c.execute(\"select count(*) from information_schema.tables where table_name = 'careless'\").fetchall()[0][0])"
)


def new_reader_sees(served):
    out = subprocess.run([sys.executable, "-c", READER, str(served)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_careless_writer_cannot_change_the_next_build_or_the_rollback_copy(refreshed_project, tmp_path):
    source = ProjectPaths(refreshed_project).default_served_db
    served = tmp_path / "serve" / "warehouse.duckdb"
    publish(stage_candidate(source, served, "build-a"), served)
    build_a = served.resolve()
    assert stat.S_IMODE(build_a.stat().st_mode) == 0o444  # no client may open a published build for writing

    writer = subprocess.Popen(
        [sys.executable, "-c", CARELESS_WRITER, str(served)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = writer.stdout.readline().strip()
    if os.geteuid() != 0:  # permissions stop a non-root client at once
        assert first == "" and "ermission" in writer.communicate(timeout=60)[1]
        return
    assert first == "connected"  # root ignores file permissions: the link switch must protect readers

    candidate_b = stage_candidate(source, served, "build-b")
    b_digest = file_digest(candidate_b)
    rollback = publish(candidate_b, served)
    a_published = file_digest(rollback)
    writer.stdin.write("\n")
    writer.stdin.flush()
    assert writer.stdout.readline().strip() == "wrote"

    assert new_reader_sees(served) == "['build-b'] 0"  # the writer's rows are not in the new build
    assert not served.with_name(served.name + ".wal").exists()
    assert file_digest(served) == b_digest

    writer.stdin.write("\n")
    writer.stdin.flush()
    assert writer.stdout.readline().strip() == "closed"
    writer.wait(timeout=60)
    assert new_reader_sees(served) == "['build-b'] 0"
    assert rollback == ServedPaths(served).previous and file_digest(rollback) == a_published  # untouched by the writer
    assert read_frames(rollback, {"b": "select run_id from marts.warehouse_build"})["b"]["run_id"].tolist() == ["build-a"]
    assert build_a.parent == ServedPaths(served).builds.resolve()
