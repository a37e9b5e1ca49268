"""The Spark target: where its files live, how dbt is pointed at it, and its marts read back for a
row-by-row comparison with the DuckDB build.

dbt-spark's session method runs Spark inside the dbt process (pyspark, Java 17). Its metastore (Derby),
its warehouse of parquet tables and derby.log live under one folder, `build/spark` by default, named by
MARKETWH_SPARK_DIR; MARKETWH_TARGET=spark selects the target in dbt/profiles.yml.

dbt-spark and pyspark live in their own environment, build/spark/venv (`spark_dbt()` installs it on first
use), never in .venv: with pyspark importable, Great Expectations imports pyspark.sql.connect, whose
dependency check calls sys.exit inside a run the Dagster daemon launches.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RefreshError
from ..paths import REPO_ROOT

TARGET_ENV = "MARKETWH_TARGET"
SPARK_DIR_ENV = "MARKETWH_SPARK_DIR"
# measured together on this machine's Java 17 (pyspark 4.3.0 is the newest that dbt-spark 1.11.0's session
# method runs; dbt-core pinned as in pyproject.toml)
SPARK_PACKAGES = ("dbt-core==1.11.16", "dbt-spark[session]==1.11.0", "pyspark==4.3.0")
SPARK_VENV_ENV = "MARKETWH_SPARK_VENV"  # default build/spark/venv (the tests share the repository's)


def spark_dbt() -> str:
    """The dbt executable of the Spark environment, installed on first use (~30 s, 630 MB)."""
    import os
    import shutil

    from ..envs import ensure_venv

    venv = Path(os.environ.get(SPARK_VENV_ENV) or REPO_ROOT / "build" / "spark" / "venv")
    if shutil.which("java") is None:
        raise RefreshError("the Spark target needs Java 17 on the PATH (java not found): apt-get install openjdk-17-jre-headless")
    ensure_venv(venv, SPARK_PACKAGES, what="dbt-spark and pyspark for the Spark target")
    return str(venv / "bin" / "dbt")


def spark_env(spark_dir: Path) -> dict[str, str]:
    """The environment of a dbt command that builds on Spark with its files under `spark_dir`."""
    return {TARGET_ENV: "spark", SPARK_DIR_ENV: str(spark_dir), "SPARK_LOCAL_IP": "127.0.0.1"}


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
            con.execute(f"create table {table} as select * from read_parquet('{folder}/*.parquet')")
    finally:
        con.close()
    return out
