"""dbt's documentation site (lineage, every model's and column's description and type) for the report
site: `dbt docs generate --static`, one self-contained HTML file.

The docs describe the dbt project, so they are generated once per version of it (the digest of the
dbt sources and seed schema) and kept in a small cache: a refresh that changes only data reuses them
(generating takes ~10 s, most of it dbt parsing the project with the scratch database's vars). The
catalog is read from a scratch copy of the served build, never from the served file itself: dbt opens
its database for writing, which would lock out the BI tools reading it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

from ..errors import RefreshError
from ..paths import dbt_sources_digest, guarded_dbt_executable

DOCS_CACHE_ENV = "MARKETWH_DOCS_CACHE"
KEEP = 3  # cached versions of the docs


def docs_cache(served: Path) -> Path:
    """Where generated docs are kept: MARKETWH_DOCS_CACHE, else `.site.docs/` beside the served file."""
    configured = os.environ.get(DOCS_CACHE_ENV)
    return Path(configured) if configured else served.parent / ".site.docs"


def write_dbt_docs(served: Path, out: Path, root: Path) -> Path:
    """Write dbt's static docs of the project at `root` to `out/index.html`, from the cache when this
    version of the dbt project has been documented before."""
    cache = docs_cache(served)
    cached = cache / f"{dbt_sources_digest(root)}.html"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{uuid.uuid4().hex}.tmp"
        _generate(served.resolve(), temporary, root)
        os.replace(temporary, cached)  # two builds generating at once both write whole files
        for old in sorted(cache.glob("*.html"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, out / "index.html")
    return out / "index.html"


def _generate(build: Path, destination: Path, root: Path) -> None:
    work = destination.with_suffix(".work")
    work.mkdir(parents=True)
    try:
        scratch = work / "catalog.duckdb"
        shutil.copyfile(build, scratch)
        scratch.chmod(0o644)  # published builds are read-only files
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_LOG_PATH": str(work / "logs")}
        variables = json.dumps({"duckdb_path": str(scratch), "curated_dir": str(root / "seeds")})
        command = [guarded_dbt_executable(), "docs", "generate", "--static", "--quiet"]
        command += ["--project-dir", str(root / "dbt"), "--profiles-dir", str(root / "dbt")]
        command += ["--target-path", str(work / "target"), "--vars", variables]
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise RefreshError(f"dbt docs generate failed:\n{result.stdout}\n{result.stderr}".strip())
        shutil.copyfile(work / "target" / "static_index.html", destination)
    finally:
        shutil.rmtree(work, ignore_errors=True)
