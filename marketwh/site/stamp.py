"""Which build of the warehouse a report site describes: `build.json` in the site's folder.

The site is rebuilt after each publish, but that step can fail or be skipped (a Spark refresh, a site
step that failed after the publish), and then the pages describe an older build than BI tools read.
The site records the build stamp it was rendered from (marts.warehouse_build: run id, build id, when
built) and the build file; `marketwh status` compares it with the served build and says when it lags.
Small and import-free, so `status` reads it without loading the site builder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STAMP = "build.json"


def write_site_stamp(out: Path, build: dict[str, Any], build_file: str) -> Path:
    """Record in the site folder `out` the warehouse_build row it was rendered from."""
    record = {
        "run_id": build.get("run_id"),
        "build_id": build.get("build_id"),
        "built_at": str(build.get("built_at")) if build.get("built_at") is not None else None,
        "build_file": build_file,
    }
    path = out / STAMP
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return path


def read_site_stamp(site: Path) -> dict[str, Any] | None:
    """The build the site at `site` describes; None when it has no record (missing or from before records)."""
    try:
        record = json.loads((site / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def site_lag(site: Path, served_build: dict[str, Any]) -> str | None:
    """One sentence when the site at `site` does not describe the served build (`served_build`, its
    warehouse_build row), else None."""
    if not site.exists():
        return "report site: not built yet (`marketwh site` builds it)"
    record = read_site_stamp(site)
    if record is None:
        return "report site: it does not record which build it describes (built before sites recorded it); `marketwh site` rebuilds it"
    if record.get("run_id") != served_build.get("run_id") or record.get("build_id") != served_build.get("build_id"):
        return (
            f"report site: LAGS the served build: it describes run {record.get('run_id')} (built {record.get('built_at')}), "
            f"BI tools read run {served_build.get('run_id')}; `marketwh site` rebuilds it"
        )
    return None
