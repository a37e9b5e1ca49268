"""The Spark target: where its files live, how dbt is pointed at it, and its marts read back for a
row-by-row comparison with the DuckDB build.

dbt-spark's session method runs Spark inside the dbt process (pyspark, Java 17). Its metastore (Derby),
its warehouse of parquet tables and derby.log live under one folder, `build/spark` by default, named by
MARKETWH_SPARK_DIR; MARKETWH_TARGET=spark selects the target in dbt/profiles.yml.
"""

from __future__ import annotations

from pathlib import Path

TARGET_ENV = "MARKETWH_TARGET"
SPARK_DIR_ENV = "MARKETWH_SPARK_DIR"


def spark_env(spark_dir: Path) -> dict[str, str]:
    """The environment of a dbt command that builds on Spark with its files under `spark_dir`."""
    return {TARGET_ENV: "spark", SPARK_DIR_ENV: str(spark_dir), "SPARK_LOCAL_IP": "127.0.0.1"}


def spark_tables(spark_dir: Path, schema: str = "marts") -> dict[str, Path]:
    """The tables of a Spark schema, each a folder of parquet files in the Spark warehouse."""
    folder = spark_dir / "spark-warehouse" / f"{schema}.db"
    return {table.name: table for table in sorted(folder.iterdir()) if table.is_dir()} if folder.is_dir() else {}


def spark_marts_as_duckdb(spark_dir: Path, out: Path, schema: str = "marts") -> Path:
    """Copy a Spark build's `schema` tables into a new DuckDB file, with the parquet files' own column
    types, so `compare.mart_differences` can set them against a DuckDB build."""
    import duckdb

    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    try:
        con.execute(f"create schema {schema}")
        for table, folder in spark_tables(spark_dir, schema).items():
            con.execute(f"create table {schema}.{table} as select * from read_parquet('{folder}/*.parquet')")
    finally:
        con.close()
    return out
