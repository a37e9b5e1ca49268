"""The one way this project reads a warehouse file: read-only.

Any number of read-only connections can hold a DuckDB file while a refresh publishes a new one, so
the audits, `marketwh status` and the tests all read through here and never open a warehouse for
writing by accident. (DuckDB 2.0: use fetchall() or .df(); after fetchone() the next statement on the
same connection fails.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BUILD_INFO_TABLE = "marts.warehouse_build"


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


def read_build_info(db: Path) -> dict:
    """The one row of marts.warehouse_build: which run, commit and documents built the file."""
    frame = read_frames(db, {"build": f"select * from {BUILD_INFO_TABLE}"})["build"]
    return frame.iloc[0].to_dict() if len(frame) else {}
