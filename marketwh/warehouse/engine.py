"""The engine a refresh builds on, as the orchestrator sees it: where dbt builds the candidate, how the
audits read it and how it is published. Only dbt writes the warehouse: every table of a build, the
findings, the audit results and the build stamp included, is a dbt model; the engine hands dbt the
stamp's environment (`build_stamp_env`).

- `DuckDBEngine` (the default): the candidate is a file beside the served one; reads go through the
  read-only reader, and the publish switches the served link (marketwh/warehouse/publish.py).
- `SparkEngine` (MARKETWH_TARGET=spark): each refresh builds into its own schemas,
  `<build_id>_seeds`, `<build_id>_marts`, ... (dbt var `schema_prefix`). Every read runs through
  dbt's own Spark connection (`dbt run-operation export_queries`, which writes the rows as parquet
  that pandas reads here), so the audits gate a Spark build exactly as they gate a DuckDB one. The
  publish, `dbt run-operation publish_build`, points each served view `marts.<name>` at the build and
  drops older builds but the one served until then (dbt/macros/engine_io.sql).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from ..dbtrun import TARGET_ENV, configured_target, run_operation, spark_command_env
from ..errors import RefreshError
from ..inputs import SEEDS_DIR_ENV, dbt_seeds_path
from ..paths import REPO_ROOT, ProjectPaths, ServedPaths
from .publish import build_stamp_env, prepare_candidate, publish
from .reader import FrameReader, file_reader, served_copy, sql_literal

ENGINES = ("duckdb", "spark")
# the schemas dbt builds (dbt_project.yml): a Spark build prefixes each with its build id
SCHEMAS = ("seeds", "staging", "intermediate", "audits", "marts")
_SCHEMA_REFERENCE = re.compile(r"\b(" + "|".join(SCHEMAS) + r")\.")


class Engine(Protocol):
    name: str
    build_id: str | None  # the build's schema prefix on Spark; None on DuckDB (the build file is named at publish)

    inputs: Path  # the link to the run's inputs snapshot that dbt reads the seeds through (marketwh/inputs.py)

    def dbt_vars(self) -> dict[str, str]: ...
    def dbt_env(self) -> dict[str, str]: ...
    def prepare(self, partial: bool) -> None: ...
    def read_candidate(self) -> FrameReader: ...
    def read_served(self) -> FrameReader | None: ...
    def publish(self, views: list[str], observe: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]: ...


def engine_name(configured: str = "") -> str:
    """The engine `configured` names, else MARKETWH_TARGET, the one setting that picks the engine (dbt's
    target `candidate` is DuckDB)."""
    name = configured or configured_target() or "duckdb"
    name = "duckdb" if name == "candidate" else name
    if name not in ENGINES:
        raise RefreshError(f"{TARGET_ENV}={name!r} names no engine: use one of {', '.join(ENGINES)}")
    return name


@dataclass
class DuckDBEngine:
    served: Path
    root: Path = REPO_ROOT
    run_id: str = "manual"
    name: str = "duckdb"
    build_id: str | None = None

    @property
    def candidate(self) -> Path:
        return ServedPaths(self.served).candidate

    @property
    def inputs(self) -> Path:
        return ProjectPaths(self.root).inputs_link(self.served)

    def dbt_vars(self) -> dict[str, str]:
        return {"duckdb_path": str(self.candidate), "curated_dir": str(self.inputs / "seeds")}

    def dbt_env(self) -> dict[str, str]:
        return {**build_stamp_env(run_id=self.run_id, root=self.root), SEEDS_DIR_ENV: dbt_seeds_path(self.inputs / "seeds", self.root)}

    def prepare(self, partial: bool) -> None:
        if partial and self.served.exists() and not self.candidate.exists():
            # a partial refresh (some models picked in the UI) starts from what is served
            self.candidate.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.served, self.candidate)
        elif not partial:
            prepare_candidate(self.served)

    def read_candidate(self) -> FrameReader:
        return file_reader(self.candidate)

    def read_served(self) -> FrameReader | None:
        copy = served_copy(self.served)
        return file_reader(copy) if copy is not None else None

    def publish(self, views: list[str], observe: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Switch the served link to the candidate; then run `observe` on what a new reader opens."""
        rollback = publish(self.candidate, self.served)
        published = {"served": str(self.served), "build": str(self.served.resolve()), "rollback": str(rollback) if rollback else None}
        return published, file_reader(self.served)(observe)


def in_build(sql: str, build_id: str) -> str:
    """`sql` with each schema it names (marts.x, seeds.y) replaced by that schema of the build."""
    return _SCHEMA_REFERENCE.sub(lambda match: f"{build_id}_{match.group(1)}.", sql)


@dataclass
class SparkEngine:
    """A refresh on Spark; `run_id` names its build (schemas `build_<12 hex of the run id>_*`)."""

    run_id: str
    spark_dir: Path
    root: Path = REPO_ROOT
    name: str = "spark"

    @property
    def build_id(self) -> str:
        return "build_" + self.run_id.replace("-", "")[:12]

    @property
    def exchange(self) -> Path:
        """Where this run's reads pass between Spark and this process."""
        return self.spark_dir / "exchange" / self.build_id

    @property
    def inputs(self) -> Path:
        return self.spark_dir / "inputs"

    def dbt_vars(self) -> dict[str, str]:
        return {"schema_prefix": f"{self.build_id}_", "curated_dir": str(self.inputs / "seeds")}

    def dbt_env(self) -> dict[str, str]:
        # marketwh-dbt runs the Spark environment's dbt (marketwh/dbtrun.py); dbt stamps the build from the environment
        seeds = dbt_seeds_path(self.inputs / "seeds", self.root)
        return {**spark_command_env(self.spark_dir, ProjectPaths(self.root)), **self._stamp_env, SEEDS_DIR_ENV: seeds}

    @cached_property
    def _stamp_env(self) -> dict[str, str]:
        """The build stamp's environment, asked of git once per engine, not again for every read and the
        publish (each a dbt operation given the same environment, so dbt never parses the stamp again)."""
        return build_stamp_env(run_id=self.run_id, root=self.root, build_id=self.build_id)

    def prepare(self, partial: bool) -> None:
        if partial:
            raise RefreshError("a partial refresh builds on DuckDB only: on Spark every refresh builds all models into a new build")
        shutil.rmtree(self.exchange.parent, ignore_errors=True)  # earlier runs' exchanged reads: nothing in them is kept

    def _operation(self, macro: str, args: Mapping[str, Any]) -> None:
        run_operation(ProjectPaths(self.root), macro, args, self.dbt_env())

    def export(self, queries: dict[str, str], folder: Path, require: str = "") -> dict[str, Path]:
        """Each query's rows as a folder of parquet files under `folder`, written by Spark (none when
        the `require`d relation does not exist)."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self._operation("export_queries", {"queries": queries, "directory": str(folder), "require": require})
        return {name: folder / name for name in queries if (folder / name).is_dir()}

    def _export(self, queries: dict[str, str], folder: Path, require: str = "") -> dict[str, Any]:
        self.export(queries, folder, require)
        return self._read_exported(folder, queries)

    @staticmethod
    def _read_exported(folder: Path, queries: Mapping[str, str]) -> dict[str, Any]:
        """The frames an operation exported under `folder` (none for a query it skipped)."""
        import duckdb

        con = duckdb.connect()
        try:
            return {
                name: con.execute(f"select * from read_parquet({sql_literal(f'{folder / name}/*.parquet')})").df()
                for name in queries
                if (folder / name).is_dir()
            }
        finally:
            con.close()

    def read_candidate(self) -> FrameReader:
        def read(queries: dict[str, str]) -> dict[str, Any]:
            return self._export({name: in_build(sql, self.build_id) for name, sql in queries.items()}, self.exchange / "candidate")

        return read

    def read_served(self) -> FrameReader | None:
        """The served views; the reader returns no frames when nothing was ever published here."""
        return lambda queries: self._export(queries, self.exchange / "served", require="marts.warehouse_build")

    def publish(self, views: list[str], observe: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Point the served views at the build, drop older builds but the one served until now, and run
        `observe` on the served views: one dbt operation."""
        folder = self.exchange / "published"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self._operation(
            "publish_build",
            {
                "build_id": self.build_id,
                "views": sorted(views),
                "observe": observe,
                "directory": str(folder),
            },
        )
        published = {
            "served": "Spark views marts.*",
            "build": f"{self.build_id}_marts",
            "rollback": "the build served until now, if any (its schemas are kept)",
        }
        return published, self._read_exported(folder, observe)


def refresh_engine(served: Path, run_id: str, root: Path = REPO_ROOT, configured: str = "") -> Engine:
    """The engine `configured` (else MARKETWH_TARGET) names, for one refresh run. A Spark engine's dbt
    environment selects the spark target itself (spark_env)."""
    if engine_name(configured) == "spark":
        return SparkEngine(run_id, ProjectPaths(root).spark_dir(), root)
    return DuckDBEngine(served, root, run_id)
