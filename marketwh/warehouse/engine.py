"""The engine a refresh builds on, as the orchestrator sees it: where dbt builds the candidate, how the
audits read it and how it is published. Only dbt writes the warehouse: every table of a build, the
findings, the audit results and the build stamp included, is a dbt model; the engine hands dbt the
stamp's environment (`build_stamp_env`).

- `DuckDBEngine` (the default): the candidate is a file beside the served one; reads go through the
  read-only reader, and the publish switches the served link (marketwh/warehouse/publish.py).
- `SparkEngine` (MARKETWH_TARGET=spark): each refresh builds into its own schemas,
  `<build_id>_seeds`, `<build_id>_marts`, ... (dbt var `schema_prefix`). Every read runs through
  dbt's own Spark connection (`dbt run-operation export_reads`, which writes the rows as parquet
  that pandas reads here), so the audits gate a Spark build exactly as they gate a DuckDB one. Each
  operation starts a JVM and a Spark session (~20 s), so the run's reads are planned (`plan_reads`):
  the first read exports every planned read of the candidate and of the served views in one
  operation, kept under the run's exchange folder, and the audit steps after it read from there. The
  publish, `dbt run-operation publish_build`, points each served view `marts.<name>` at the build and
  drops older builds but the one served until then (dbt/macros/engine_io.sql).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from ..dbtrun import TARGET_ENV, configured_target, run_operation, spark_command_env
from ..errors import RefreshError
from ..inputs import SEEDS_DIR_ENV, dbt_seeds_path
from ..paths import REPO_ROOT, ProjectPaths, ServedPaths
from .definitions import BUILD_MODE_ENV, DEFINITIONS_DIGEST_ENV, definitions_digest, served_definitions_digest
from .publish import build_stamp_env, copy_served_candidate, prepare_candidate, publish
from .reader import FrameReader, file_reader, served_copy, sql_literal

ENGINES = ("duckdb", "spark")
# the schemas dbt builds (dbt_project.yml): a Spark build prefixes each with its build id
SCHEMAS = ("seeds", "staging", "intermediate", "audits", "marts")
# in a read of the served views, the served build's id, which only Spark knows (export_reads resolves it)
SERVED_BUILD = "__served_build__"
_SCHEMA_REFERENCE = re.compile(r"\b(" + "|".join(SCHEMAS) + r")\.")


class Engine(Protocol):
    name: str
    build_id: str | None  # the build's schema prefix on Spark; None on DuckDB (the build file is named at publish)

    inputs: Path  # the link to the run's inputs snapshot that dbt reads the seeds through (marketwh/inputs.py)

    def dbt_vars(self) -> dict[str, str]: ...
    def dbt_env(self) -> dict[str, str]: ...
    def prepare(self, partial: bool, full: bool = False) -> None: ...
    def plan_reads(self, candidate: Iterable[str], served: Iterable[str]) -> None: ...
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
    build_mode: str = "full"  # incremental once `prepare` started the candidate as a copy of the served build

    @property
    def candidate(self) -> Path:
        return ServedPaths(self.served).candidate

    @property
    def inputs(self) -> Path:
        return ProjectPaths(self.root).inputs_link(self.served)

    def dbt_vars(self) -> dict[str, str]:
        return {"duckdb_path": str(self.candidate), "curated_dir": str(self.inputs / "seeds")}

    def definitions(self) -> str:
        return definitions_digest(self.root, self.inputs / "seeds")

    def dbt_env(self) -> dict[str, str]:
        return {
            **build_stamp_env(run_id=self.run_id, root=self.root),
            SEEDS_DIR_ENV: dbt_seeds_path(self.inputs / "seeds", self.root),
            DEFINITIONS_DIGEST_ENV: self.definitions(),
            BUILD_MODE_ENV: self.build_mode,
        }

    def prepare(self, partial: bool, full: bool = False) -> None:
        """The candidate: a copy of the served build when only reports' own inputs can have changed since
        it was built (same definitions digest; the per-report chain then rebuilds the changed reports
        only), else a fresh file that dbt builds whole. `full` asks for the fresh one. Its inputs link
        must point at the run's snapshot already."""
        self.build_mode = "full"
        if partial:
            if self.served.exists() and not self.candidate.exists():
                # a partial refresh (some models picked in the UI) starts from what is served; a chain
                # model it rebuilds is rebuilt whole (not incremental: its changes were not computed)
                copy_served_candidate(self.served)
        elif not full and served_definitions_digest(self.served) == self.definitions():
            copy_served_candidate(self.served)
            self.build_mode = "incremental"
        else:
            prepare_candidate(self.served)

    def plan_reads(self, candidate: Iterable[str], served: Iterable[str]) -> None:
        """Nothing to plan: a read of a DuckDB file costs milliseconds."""

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


def in_build(sql: str, build_id: str, keep_marts: bool = False) -> str:
    """`sql` with each schema it names (marts.x, seeds.y) replaced by that schema of the build; with
    `keep_marts`, marts.x stays the served view."""
    return _SCHEMA_REFERENCE.sub(lambda m: m.group(0) if keep_marts and m.group(1) == "marts" else f"{build_id}_{m.group(1)}.", sql)


@dataclass
class SparkEngine:
    """A refresh on Spark; `run_id` names its build (schemas `build_<12 hex of the run id>_*`)."""

    run_id: str
    spark_dir: Path
    root: Path = REPO_ROOT
    name: str = "spark"
    # the SQL the run will read, by side (candidate, served): exported together by the first read
    planned: dict[str, set[str]] = field(default_factory=lambda: {"candidate": set(), "served": set()})

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
        definitions = {DEFINITIONS_DIGEST_ENV: definitions_digest(self.root, self.inputs / "seeds"), BUILD_MODE_ENV: "full"}
        return {**build_stamp_env(run_id=self.run_id, root=self.root, build_id=self.build_id), **definitions}

    def prepare(self, partial: bool, full: bool = False) -> None:
        """Every Spark build is a first build into its own schemas: incremental models build whole."""
        if partial:
            raise RefreshError("a partial refresh builds on DuckDB only: on Spark every refresh builds all models into a new build")
        shutil.rmtree(self.exchange.parent, ignore_errors=True)  # earlier runs' exchanged reads: nothing in them is kept

    def _operation(self, macro: str, args: Mapping[str, Any]) -> None:
        run_operation(ProjectPaths(self.root), macro, args, self.dbt_env())

    def plan_reads(self, candidate: Iterable[str], served: Iterable[str]) -> None:
        """Declare SQL the run will read from the candidate (its schemas named `marts.x`) and from the
        served views, so that the first read exports them all in one operation."""
        self.planned["candidate"].update(candidate)
        self.planned["served"].update(served)

    def kept_read(self, side: str, sql: str) -> Path:
        """Where the rows of `sql` read from `side` are kept for the rest of the run: a folder of parquet
        files, and beside it `<folder>.asked` once an operation was asked for them."""
        return self._reads(side) / hashlib.sha256(sql.encode()).hexdigest()[:20]

    def _reads(self, side: str) -> Path:
        return self.exchange / "reads" / side

    def _asked(self, side: str, sql: str) -> bool:
        return self.kept_read(side, sql).with_suffix(".asked").exists()

    def _read(self, side: str, queries: Mapping[str, str]) -> dict[str, Any]:
        """The frames of `queries` on `side`. What no operation was asked for yet is exported in one
        operation with every planned read of both sides not asked for yet; a served read finds nothing
        before the first publish. The candidate does not change once dbt built it, nor the served views
        before this run publishes (it holds the refresh lock): a kept read stays right for the run."""
        if any(not self._asked(side, sql) for sql in queries.values()):
            groups = []
            for each, require in (("candidate", ""), ("served", "marts.warehouse_build")):
                wanted = self.planned[each] | (set(queries.values()) if each == side else set())
                todo = sorted(sql for sql in wanted if not self._asked(each, sql))
                if todo:
                    built = self.build_id if each == "candidate" else SERVED_BUILD
                    named = {self.kept_read(each, sql).name: in_build(sql, built, keep_marts=each == "served") for sql in todo}
                    groups.append((each, todo, {"queries": named, "directory": str(self._reads(each)), "require": require}))
            for _, _, group in groups:
                Path(group["directory"]).mkdir(parents=True, exist_ok=True)
            self._operation("export_reads", {"groups": [group for _, _, group in groups]})
            for each, todo, _ in groups:
                for sql in todo:
                    self.kept_read(each, sql).with_suffix(".asked").touch()
        return self._read_kept({name: self.kept_read(side, sql) for name, sql in queries.items()})

    @staticmethod
    def _read_kept(folders: Mapping[str, Path]) -> dict[str, Any]:
        """Each folder's parquet files as a frame (none for a folder no operation wrote)."""
        import duckdb

        con = duckdb.connect()
        try:
            return {
                name: con.execute(f"select * from read_parquet({sql_literal(f'{folder}/*.parquet')})").df()
                for name, folder in folders.items()
                if folder.is_dir()
            }
        finally:
            con.close()

    def read_candidate(self) -> FrameReader:
        return lambda queries: self._read("candidate", queries)

    def read_served(self) -> FrameReader | None:
        """The served views; the reader returns no frames when nothing was ever published here."""
        return lambda queries: self._read("served", queries)

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
        return published, self._read_kept({name: folder / name for name in observe})


def refresh_engine(served: Path, run_id: str, root: Path = REPO_ROOT, configured: str = "") -> Engine:
    """The engine `configured` (else MARKETWH_TARGET) names, for one refresh run. A Spark engine's dbt
    environment selects the spark target itself (spark_env)."""
    if engine_name(configured) == "spark":
        return SparkEngine(run_id, ProjectPaths(root).spark_dir(), root)
    return DuckDBEngine(served, root, run_id)
