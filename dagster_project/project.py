"""The one dbt project, as Dagster sees it.

Constructing DbtProject reads no dbt code; the manifest it points at is written by
`marketwh prepare` (run by `make refresh`, `marketwh refresh` and `marketwh ui`), never by importing
this module: parsing dbt at import time would slow every process that loads the definitions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from .errors import RefreshError
from .settings import REPO_ROOT, ProjectPaths

PATHS = ProjectPaths.default()
# target_path is relative to the dbt project directory: build/dbt/target at the repository root.
DBT_TARGET_PATH = Path("..") / "build" / "dbt" / "target"

dbt_project = DbtProject(
    project_dir=PATHS.dbt_dir,
    profiles_dir=PATHS.dbt_dir,
    target_path=DBT_TARGET_PATH,
)


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def prepare_manifest(root: Path = REPO_ROOT) -> Path:
    """Write the dbt manifest Dagster builds its asset graph from (`dbt parse`, ~3 s)."""
    target = root / "build" / "dbt" / "target"
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_LOG_PATH": str(root / "build" / "dbt" / "logs")}
    result = subprocess.run(
        [dbt_executable(), "parse", "--project-dir", str(root / "dbt"), "--profiles-dir", str(root / "dbt"),
         "--target-path", str(target), "--quiet"],
        capture_output=True, text=True, env=env,
    )
    if result.returncode != 0:
        raise RefreshError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}".strip())
    return target / "manifest.json"
