"""The Spark target's marts read back for a row-by-row comparison with the DuckDB build.

dbt-spark's session method runs Spark inside the dbt process (pyspark, Java 17). Its metastore (Derby),
its warehouse of parquet tables and derby.log live under one folder (`ProjectPaths.spark_dir`: build/spark
or MARKETWH_SPARK_DIR); MARKETWH_TARGET=spark selects the target in dbt/profiles.yml. Which dbt runs it
and in which environment is marketwh/dbtrun.py's (`spark_dbt`, `spark_env`).
"""

from __future__ import annotations

from pathlib import Path

from .reader import sql_literal


def parquet_as_duckdb(folders: dict[str, Path], out: Path) -> Path:
    """A new DuckDB file with one table per `schema.table` -> folder of parquet files (as Spark writes
    them), with the files' own column types: a Spark build set beside a DuckDB one
    (`compare.mart_differences`)."""
    import duckdb

    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    try:
        for table, folder in folders.items():
            con.execute(f"create schema if not exists {table.split('.')[0]}")
            con.execute(f"create table {table} as select * from read_parquet({sql_literal(f'{folder}/*.parquet')})")
    finally:
        con.close()
    return out
