"""The audit results of a build, as BI tools and the report site read them: `marts.audit_results`.

One row per audit rule (dbt/models/audits/audit_rules.sql) of the build: its suite, severity, how many
rows its audit view judged, how many failed and the outcome the Great Expectations gate acted on. dbt
builds it (dbt/models/marts/audit_results.sql) beside the findings it counts, so the report site and any
BI tool show the audits of exactly the build they read (a refused build's results stay in its candidate).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .reader import read_frames

AUDIT_RESULTS_TABLE = "marts.audit_results"


def read_audit_results(db: Path) -> list[dict[str, Any]]:
    """The audit results published with `db`, or [] for a file built before they were recorded."""
    tables = read_frames(db, {"t": "select table_name from duckdb_tables() where schema_name = 'marts'"})["t"]
    if "audit_results" not in set(tables["table_name"]):
        return []
    frame = read_frames(db, {"a": f"select * from {AUDIT_RESULTS_TABLE} order by suite, severity, check_name"})["a"]
    return frame.to_dict("records")
