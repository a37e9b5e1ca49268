"""Where things live: the repository layout and the paths of generated files.

Paths of sources (seeds/, reports/, dbt/) are fixed relative to the repository. The served DuckDB
file is named by one environment variable, WAREHOUSE_DB, read when a path is asked for (never at
import time), so the same code serves a developer's default and an operator's override.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

WAREHOUSE_DB_ENV = "WAREHOUSE_DB"
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ProjectPaths:
    """The source folders of one checkout of the project."""

    root: Path

    @classmethod
    def default(cls) -> ProjectPaths:
        return cls(REPO_ROOT)

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def dbt_dir(self) -> Path:
        return self.root / "dbt"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def served_db(self) -> Path:
        """The DuckDB file BI tools read (WAREHOUSE_DB, default build/warehouse.duckdb)."""
        configured = os.environ.get(WAREHOUSE_DB_ENV)
        path = Path(configured) if configured else self.build_dir / "warehouse.duckdb"
        return path if path.is_absolute() else (Path.cwd() / path)


def dbt_executable() -> str:
    """The dbt command installed beside this Python (the project's venv), else the one on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def guarded_dbt_executable() -> str:
    """`marketwh-dbt`: dbt that the kernel ends when the process that started it dies, however it dies
    (dagster_project/processes.py); the plain dbt where the guard is not installed."""
    candidate = Path(sys.executable).parent / "marketwh-dbt"
    return str(candidate) if candidate.exists() else dbt_executable()


def dbt_command(dbt: str, verb: str, root: Path, target: Path, *args: str) -> list[str]:
    """`dbt <verb>` on the dbt project of the checkout at `root`, writing its artifacts to `target`."""
    project = str(root / "dbt")
    return [dbt, verb, "--project-dir", project, "--profiles-dir", project, "--target-path", str(target), *args]


def dbt_sources_digest(root: Path = REPO_ROOT) -> str:
    """sha256 over what dbt parses: the dbt project and the seed schema (seed CSVs by name only: their
    rows are loaded at build time). Keys the parsed manifest and the cached dbt docs."""
    import hashlib

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


def copy_sources(destination: Path, root: Path = REPO_ROOT) -> Path:
    """Copy this project's sources into `destination`: a scratch checkout for the tests and the
    benchmark, with its own build/ folder, served file and Dagster instance."""
    import shutil

    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "target", "logs"))
        else:
            shutil.copy2(source, destination / name)
    return destination


def candidate_db(served: Path) -> Path:
    """The file a refresh builds into: beside the served file, so publishing is a rename on one
    filesystem, under a hidden folder so BI users browsing the folder do not open it by mistake."""
    return served.parent / ".candidate" / served.name


def previous_db(served: Path) -> Path:
    """The rollback copy: the served file as it was before the last publish."""
    return served.with_name(served.stem + ".previous" + served.suffix)


def builds_dir(served: Path) -> Path:
    """Where published builds live, each under its own name; the served path is a link to one."""
    return served.parent / f".{served.stem}.builds"
