"""Where things live: the sources of a checkout, and every file the project generates.

Two objects own every path, so no other module joins "build" or ".candidate" by hand:
- `ProjectPaths(root)`: the sources (seeds/, reports/, dbt/) and everything generated under the one
  ignored folder build/ (dbt's target, logs and per-run folders, the Dagster instance, the side
  environments of Spark, Superset and the DuckDB 1.x clients, the linters' scratch);
- `ServedPaths(served)`: what lives beside the served DuckDB file (the candidate a refresh builds, the
  refresh lock, the published builds and their pristine copies, the rollback copy, the report site and
  its dbt docs cache), so a served file moved elsewhere by WAREHOUSE_DB takes its companions with it.

The environment variables that move a path are read here and only here, when a path is asked for
(never at import time), so one process can serve a developer's default and an operator's override.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

WAREHOUSE_DB_ENV = "WAREHOUSE_DB"  # the served DuckDB file (default build/warehouse.duckdb)
DAGSTER_HOME_ENV = "DAGSTER_HOME"  # the Dagster instance (default build/dagster)
DOCS_CACHE_ENV = "MARKETWH_DOCS_CACHE"  # the site's cache of dbt docs (default .site.docs/ beside the served file)
SPARK_DIR_ENV = "MARKETWH_SPARK_DIR"  # the Spark target's metastore and tables (default build/spark)
SPARK_VENV_ENV = "MARKETWH_SPARK_VENV"  # dbt-spark's environment (default build/spark/venv; the tests share one)
SUPERSET_HOME_ENV = "MARKETWH_SUPERSET_HOME"  # Superset's metadata and secret key (default build/superset)


def _configured(name: str) -> Path | None:
    """The path the environment variable `name` sets, made absolute against the working directory."""
    value = os.environ.get(name)
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else Path.cwd() / path


def _key(served: Path) -> str:
    """A file name for what belongs to one served file, whatever its path holds."""
    return hashlib.sha256(str(served).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ProjectPaths:
    """The source folders of one checkout of the project and what it generates under build/."""

    root: Path

    @classmethod
    def default(cls) -> ProjectPaths:
        return cls(REPO_ROOT)

    # sources
    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def dbt_dir(self) -> Path:
        return self.root / "dbt"

    # generated, under build/
    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def default_served_db(self) -> Path:
        """build/warehouse.duckdb: the served file unless WAREHOUSE_DB names another."""
        return self.build_dir / "warehouse.duckdb"

    def served_db(self) -> Path:
        """The DuckDB file BI tools read (WAREHOUSE_DB, default build/warehouse.duckdb)."""
        return _configured(WAREHOUSE_DB_ENV) or self.default_served_db

    def served(self) -> ServedPaths:
        """The served file and everything beside it."""
        return ServedPaths(self.served_db())

    @property
    def dbt_target(self) -> Path:
        """dbt's shared target: the manifest Dagster reads, its partial-parse state, the parse lock beside it."""
        return self.build_dir / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.build_dir / "dbt" / "logs"

    @property
    def dbt_runs(self) -> Path:
        """One dbt target folder per refresh run (build/dbt/runs/<run id>), the last few kept."""
        return self.build_dir / "dbt" / "runs"

    @property
    def inputs_snapshots(self) -> Path:
        """One copy of the seeds and report documents per refresh run (build/inputs/<run id>), the last
        few kept: what the run validated and built from (marketwh/inputs.py)."""
        return self.build_dir / "inputs"

    def inputs_snapshot(self, run_id: str) -> Path:
        return self.inputs_snapshots / run_id

    def inputs_link(self, served: Path) -> Path:
        """The link to the inputs snapshot of the refresh of `served` that holds (or last held) its lock:
        the one path dbt reads the seeds through, the same from run to run so dbt's partial parse keeps
        working. Under build/, not beside the served file: dbt's DuckDB adapter splices seed paths
        into its SQL unescaped, and WAREHOUSE_DB may name any folder."""
        return self.build_dir / "inputs-links" / _key(served)

    def dbt_parse_state(self, served: Path) -> Path:
        """dbt's partial-parse state of the last refresh build of `served` (parsed through its
        `inputs_link`), kept for the next build of the same file."""
        return self.build_dir / "dbt" / "parse-states" / f"{_key(served)}.msgpack"

    @property
    def dbt_operations(self) -> Path:
        """The target of the dbt operations a Spark refresh runs (reads and the publish)."""
        return self.build_dir / "dbt" / "spark-operations"

    @property
    def default_dagster_home(self) -> Path:
        """build/dagster: the Dagster instance unless DAGSTER_HOME names another."""
        return self.build_dir / "dagster"

    def dagster_home(self) -> Path:
        """The Dagster instance (DAGSTER_HOME, default build/dagster)."""
        return (_configured(DAGSTER_HOME_ENV) or self.default_dagster_home).resolve()

    @property
    def default_spark_dir(self) -> Path:
        return self.build_dir / "spark"

    def spark_dir(self) -> Path:
        """The Spark target's metastore, tables and exchange folder (MARKETWH_SPARK_DIR, default build/spark)."""
        return (_configured(SPARK_DIR_ENV) or self.default_spark_dir).resolve()

    def spark_venv(self) -> Path:
        """dbt-spark's and pyspark's environment (MARKETWH_SPARK_VENV, default build/spark/venv)."""
        return _configured(SPARK_VENV_ENV) or self.default_spark_dir / "venv"

    def superset_home(self) -> Path:
        """Superset's metadata, secret key and logs (MARKETWH_SUPERSET_HOME, default build/superset)."""
        return _configured(SUPERSET_HOME_ENV) or self.build_dir / "superset"

    @property
    def superset_venv(self) -> Path:
        return self.build_dir / "superset" / "venv"

    @property
    def clients_venv(self) -> Path:
        """The DuckDB 1.x clients' environment (the clients test)."""
        return self.build_dir / "clients"

    @property
    def bench_dir(self) -> Path:
        """The benchmark's scratch in a project it measures: its log, a bare dbt build, the SQL floor."""
        return self.build_dir / "bench"

    @property
    def validation_cache(self) -> Path:
        """The fingerprints of the reports that last validated clean (curation/validation/cache.py)."""
        return self.build_dir / "validation" / "clean-reports.json"

    @property
    def docs_site(self) -> Path:
        """The docs/ pages as `make docs` builds them (mkdocs.yml's site_dir); the report site carries a copy."""
        return self.build_dir / "docs"

    @property
    def lint_dir(self) -> Path:
        """Scratch of the linters (sqlfluff's dbt templater writes a target and logs)."""
        return self.build_dir / "lint"

    @property
    def drafts_dir(self) -> Path:
        """build/drafts: where a person keeps `marketwh extract` drafts; the one folder under build/ that
        marketwh never writes or reads by itself."""
        return self.build_dir / "drafts"

    def managed_paths(self) -> list[Path]:
        """Everything marketwh writes by itself or reads as its sources: a command never writes a file a
        person names into one of these (marketwh/safefs.py), except into `drafts_dir`. The sources,
        build/, and the served file with everything beside it, wherever WAREHOUSE_DB puts it."""
        served = self.served()
        return [
            *(self.root / name for name in PROJECT_SOURCES),
            self.root / ".git",
            self.build_dir,
            served.served,
            served.served.resolve(),  # the published build it links to, its pristine copy beside it
            served.candidate.parent,
            served.builds,
            served.previous,
            served.site,
            served.site_builds,
            served.docs_cache(),
            self.dagster_home(),
            self.spark_dir(),
            self.superset_home(),
        ]


@dataclass(frozen=True)
class ServedPaths:
    """The served DuckDB file (a link to the published build) and the files that live beside it."""

    served: Path

    @property
    def candidate(self) -> Path:
        """The file a refresh builds into: beside the served file, so publishing is a rename on one
        filesystem, under a hidden folder so BI users browsing the folder do not open it by mistake.
        Named like the served file, but for characters other than letters, digits, `.`, `_` and `-`: dbt's
        DuckDB adapter names the database after the file and quotes that name into its SQL."""
        name = re.sub(r"[^A-Za-z0-9._-]", "_", self.served.name)
        return self.served.parent / ".candidate" / name

    @property
    def lock(self) -> Path:
        """The refresh lock of this served file."""
        return self.candidate.parent / "refresh.lock"

    @property
    def previous(self) -> Path:
        """The rollback copy: the served file as it was before the last publish."""
        return self.served.with_name(self.served.stem + ".previous" + self.served.suffix)

    @property
    def builds(self) -> Path:
        """Where published builds live, each under its own name; the served path is a link to one."""
        return self.served.parent / f".{self.served.stem}.builds"

    @staticmethod
    def pristine(build: Path) -> Path:
        """The byte copy of a published build made when it was published, which no client ever opens."""
        return build.with_name(build.stem + ".pristine" + build.suffix)

    @property
    def site(self) -> Path:
        """The report site of this served file: `site/` beside it, a link to its newest build."""
        return self.served.parent / "site"

    @property
    def site_builds(self) -> Path:
        return self.served.parent / ".site.builds"

    @property
    def site_lock(self) -> Path:
        """The lock one build of the report site holds while it renders, switches and prunes."""
        return self.served.parent / ".site.lock"

    def docs_cache(self) -> Path:
        """Where the site's generated dbt docs are kept (MARKETWH_DOCS_CACHE, else `.site.docs/` beside
        the served file)."""
        return _configured(DOCS_CACHE_ENV) or self.served.parent / ".site.docs"


def dbt_sources_digest(root: Path = REPO_ROOT) -> str:
    """sha256 over what dbt parses: the dbt project and the seed schema (seed CSVs by name only: their
    rows are loaded at build time). Keys the parsed manifest and the cached dbt docs."""
    digest = hashlib.sha256()
    dbt_dir = root / "dbt"
    sources = [p for p in dbt_dir.rglob("*") if p.is_file() and not {"target", "logs"} & set(p.relative_to(dbt_dir).parts)]
    sources += list((root / "seeds").glob("*.yml")) + list((root / "seeds").glob("*.csv"))
    for path in sorted(sources):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.suffix != ".csv" else b"")
    return digest.hexdigest()


# What a checkout of the project consists of (everything else is generated under build/).
PROJECT_SOURCES = ("seeds", "reports", "dbt", "marketwh", "dagster_project", "expectations", "pyproject.toml")
# copied with them: the dashboard bundle's dashboards, whose slug and native filters the site's links read
SITE_READS = ("serving/superset/dashboards",)


def copy_sources(destination: Path, root: Path = REPO_ROOT) -> Path:
    """Copy this project's sources into `destination`: a scratch checkout for the tests and the
    benchmark, with its own build/ folder, served file and Dagster instance."""
    import shutil

    destination.mkdir(parents=True, exist_ok=True)
    for name in (*PROJECT_SOURCES, *SITE_READS):
        source = root / name
        if name in SITE_READS and not source.is_dir():
            continue
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "target", "logs"))
        else:
            shutil.copy2(source, destination / name)
    return destination
