"""dbt's documentation site (lineage, every model's and column's description, the catalog) for the
report site: `dbt docs generate --static`, one self-contained HTML file.

The catalog is read from a scratch copy of the served build, never from the served file itself: dbt
opens its database for writing, which would lock out the BI tools reading the served file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from ..errors import RefreshError
from ..paths import dbt_executable


def write_dbt_docs(served_build: Path, out: Path, root: Path) -> Path:
    """Write dbt's static docs for the build `served_build` to `out/index.html`."""
    work = out.with_name(out.name + ".work")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        scratch = work / "catalog.duckdb"
        shutil.copyfile(served_build, scratch)
        scratch.chmod(0o644)  # published builds are read-only files
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_LOG_PATH": str(work / "logs")}
        variables = json.dumps({"duckdb_path": str(scratch), "curated_dir": str(root / "seeds")})
        command = [dbt_executable(), "docs", "generate", "--static", "--quiet"]
        command += ["--project-dir", str(root / "dbt"), "--profiles-dir", str(root / "dbt")]
        command += ["--target-path", str(work / "target"), "--vars", variables]
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise RefreshError(f"dbt docs generate failed:\n{result.stdout}\n{result.stderr}".strip())
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / "target" / "static_index.html", out / "index.html")
        return out / "index.html"
    finally:
        shutil.rmtree(work, ignore_errors=True)
