"""Tables the refresh writes into a candidate beside dbt's models (findings, audit results).

They are published with the build, so a BI tool reads the findings and the audit results of exactly
the run that built the file it opened. Each table and column carries a comment, like the dbt marts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def replace_table(
    db: Path,
    table: str,
    columns: Mapping[str, str],
    rows: Sequence[Sequence[Any]],
    *,
    comment: str,
    types: Mapping[str, str] | None = None,
) -> None:
    """Replace `table` in `db` (a candidate, opened for writing) with `rows`; `columns` maps each
    column to its comment, `types` the columns that are not varchar to their DuckDB type."""
    import duckdb

    types = types or {}
    con = duckdb.connect(str(db))
    try:
        declared = ", ".join(f"{column} {types.get(column, 'varchar')}" for column in columns)
        con.execute(f"create or replace table {table} ({declared})")
        if rows:
            con.executemany(f"insert into {table} values ({', '.join('?' for _ in columns)})", [list(row) for row in rows])
        con.execute(f"comment on table {table} is {_quoted(comment)}")
        for column, text in columns.items():
            con.execute(f"comment on column {table}.{column} is {_quoted(text)}")
        con.execute("checkpoint")
    finally:
        con.close()
