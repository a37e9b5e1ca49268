"""Tables the refresh writes into a candidate beside dbt's models (findings, audit results, the build
stamp).

They are published with the build, so a BI tool reads the findings and the audit results of exactly
the run that built what it opened. A `Table` is engine-neutral: its rows, its columns' comments and
the columns that are not text; `write_table` puts it into a DuckDB candidate, `to_parquet` hands it to
another engine (marketwh/warehouse/engine.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str  # schema.table
    columns: Mapping[str, str]  # column -> comment, in order
    rows: Sequence[Sequence[Any]]
    comment: str
    types: Mapping[str, str] = field(default_factory=dict)  # columns that are not varchar -> DuckDB type

    @property
    def table_name(self) -> str:
        return self.name.split(".", 1)[1]

    def _create(self, con, name: str) -> None:
        declared = ", ".join(f"{column} {self.types.get(column, 'varchar')}" for column in self.columns)
        con.execute(f"create or replace table {name} ({declared})")
        if self.rows:
            con.executemany(f"insert into {name} values ({', '.join('?' for _ in self.columns)})", [list(row) for row in self.rows])

    def to_parquet(self, path: Path) -> Path:
        """The rows as one parquet file with the declared column types (through an in-memory DuckDB)."""
        import duckdb

        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect()
        try:
            self._create(con, "rows")
            con.execute(f"copy rows to '{path}' (format parquet)")
        finally:
            con.close()
        return path


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_table(db: Path, table: Table) -> None:
    """Replace `table` in the DuckDB file `db` (a candidate, opened for writing), with its comments."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        table._create(con, table.name)
        con.execute(f"comment on table {table.name} is {_quoted(table.comment)}")
        for column, text in table.columns.items():
            con.execute(f"comment on column {table.name}.{column} is {_quoted(text)}")
        con.execute("checkpoint")
    finally:
        con.close()
