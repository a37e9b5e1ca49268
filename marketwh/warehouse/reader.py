"""The one way this project reads a warehouse file: read-only.

Any number of read-only connections can hold a DuckDB file while a refresh publishes a new one, so
the audits, `marketwh status`, the site and the tests all read through here and never open a warehouse
for writing by accident. Which file holds the served data, and which the last refresh attempt's, is
decided here once (`served_copy`, `last_attempt_files`). (DuckDB 2.0: use fetchall() or .df(); after fetchone() the next statement on the
same connection fails.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from ..paths import ServedPaths

BUILD_INFO_TABLE = "marts.warehouse_build"
# named queries -> one pandas DataFrame each: how the audits read a candidate on any engine
# (a DuckDB file through `file_reader`, Spark through marketwh.warehouse.engine)
FrameReader = Callable[[dict[str, str]], dict[str, Any]]


def sql_literal(text: object) -> str:
    """`text` as a DuckDB string literal: a path with a quote in it stays one string, never SQL."""
    return "'" + str(text).replace("'", "''") + "'"


@contextmanager
def read_only(db: Path) -> Iterator[Any]:
    """A read-only DuckDB connection to `db`, closed when the block ends."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        yield con
    finally:
        con.close()


def read_frames(db: Path, queries: dict[str, str]) -> dict[str, Any]:
    """Run each named query on one read-only connection; name -> pandas DataFrame."""
    with read_only(db) as con:
        return {name: con.execute(sql).df() for name, sql in queries.items()}


def file_reader(db: Path) -> FrameReader:
    """A FrameReader on the DuckDB file `db`, read-only."""
    return partial(read_frames, db)


def prefetched(read: FrameReader, *query_sets: dict[str, str]) -> FrameReader:
    """Run every query of `query_sets` through `read` once; the returned reader serves them by name
    (on Spark each read is a dbt operation, ~20 s, so the audit step reads once). A frame `read` did not
    return (Spark's served side before its first publish returns none) is missing, not an error."""
    queries = {name: sql for query_set in query_sets for name, sql in query_set.items()}
    assert len(queries) == sum(map(len, query_sets)), "two queries share a name"
    frames = read(queries)
    return lambda wanted: {name: frames[name] for name in wanted if name in frames}


def read_build_info(db: Path) -> dict:
    """The one row of marts.warehouse_build: which run, commit and documents built the file."""
    frame = read_frames(db, {"build": f"select * from {BUILD_INFO_TABLE}"})["build"]
    return frame.iloc[0].to_dict() if len(frame) else {}


def served_copy(served: Path) -> Path | None:
    """The file to read the served data from: the served build's pristine copy, which no client holds,
    so reading never waits on (or fails for) a BI tool holding the build read-write; the served path
    itself when it predates named builds; None when nothing is served."""
    if not served.exists():
        return None
    pristine = ServedPaths.pristine(served.resolve())
    return pristine if served.is_symlink() and pristine.exists() else served


def is_lock_conflict(error: BaseException) -> bool:
    """Whether a DuckDB error is another process holding the file for writing (a refresh's dbt building
    the candidate, a BI tool holding a build read-write): the file is busy, not broken."""
    return type(error).__name__ == "IOException" and "lock" in str(error).lower()


DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def served_file_problem(served: Path) -> str | None:
    """One sentence when the file BI tools open at the served path is not the build that was published
    there (overwritten by something else: a command's output, a copy, a restore), else None. The
    served path itself is opened read-only and its build stamp compared with the pristine copy's; a
    served file from before pristine copies has nothing to compare with."""
    if not served.is_symlink() or not served.exists():
        return None
    build = served.resolve()
    pristine = ServedPaths.pristine(build)
    if not pristine.exists():
        return None
    remedy = f"BI tools cannot read it as published; its pristine copy {pristine} is intact: run `marketwh refresh` to publish again"
    try:
        with open(build, "rb") as handle:
            header = handle.read(12)
    except OSError as error:
        return f"the served file {served} ({build.name}) cannot be read ({error.strerror}): {remedy}"
    if header[8:12] != DUCKDB_MAGIC:
        return f"the served file {served} ({build.name}) is no longer a DuckDB database: something overwrote it; {remedy}"
    try:
        served_run = read_build_info(served).get("run_id")
    except Exception as error:
        if is_lock_conflict(error):
            return None  # a client holds it read-write: its header is a DuckDB file's, and publishing never opens it
        return f"the served file {served} ({build.name}) cannot be opened read-only ({str(error).splitlines()[0]}): {remedy}"
    published_run = read_build_info(pristine).get("run_id")
    if served_run != published_run:
        return f"the served file {served} holds the build of run {served_run}, but run {published_run} published it there: {remedy}"
    return None


LAST_ATTEMPT = "the last refresh attempt (not published)"
SERVED_BUILD = "the served build"


def last_attempt_files(served: Path) -> list[tuple[Path, str]]:
    """Where the last refresh attempt's tables are, newest first, each with what it is: the candidate
    when the last attempt stopped before publishing, then the served build."""
    candidate = ServedPaths(served).candidate
    files = [(candidate, LAST_ATTEMPT)] if candidate.exists() else []
    copy = served_copy(served)
    return files + ([(copy, SERVED_BUILD)] if copy is not None else [])
