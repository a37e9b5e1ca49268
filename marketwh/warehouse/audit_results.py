"""The audit results of a build, as a table: `marts.audit_results`.

One row per audit check (expectations/suites.py) of the run that built the file: its suite, rule,
severity, how many rows it checked, how many failed and those rows. Written into the candidate by the
audit step and published with it, so the report site and any BI tool show the Great Expectations
results of exactly the build they read (a refused build's results stay in its candidate).
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

from .reader import read_frames
from .tables import Table

AUDIT_RESULTS_TABLE = "marts.audit_results"

COLUMNS = {
    "suite": "The Great Expectations suite the check belongs to (expectations/suites.py).",
    "check_name": "The check: a SQL query over the warehouse and GX expectations over its rows.",
    "rule": "What must hold, in one sentence.",
    "severity": "error (a failure blocks publishing) or warn (advisory: shown, never blocks).",
    "outcome": "passed; warned (an advisory rule failed); acknowledged (a blocking rule failed only on rows a person "
    "acknowledged as the report's own inconsistency); failed (a blocking rule failed: such a build is never published).",
    "rows_checked": "How many rows the check's query returned and the expectations checked.",
    "failing_row_count": "How many of them broke the rule.",
    "failing_rows": "The failing rows as a JSON list of objects: the check's id columns and the checked values.",
}


@dataclass(frozen=True)
class AuditResult:
    suite: str
    check_name: str
    rule: str
    severity: str
    outcome: str
    rows_checked: int
    failing_row_count: int
    failing_rows: str  # JSON


def audit_result(
    suite: str, check_name: str, rule: str, severity: str, rows_checked: int, failing_rows: list[dict[str, Any]], *, all_acknowledged: bool
) -> AuditResult:
    """One check's row; `failing_rows` each carry their finding's key and status."""
    if not failing_rows:
        outcome = "passed"
    elif severity != "error":
        outcome = "warned"
    else:
        outcome = "acknowledged" if all_acknowledged else "failed"
    return AuditResult(
        suite, check_name, rule, severity, outcome, rows_checked, len(failing_rows), json.dumps(failing_rows, default=str, sort_keys=True)
    )


def audit_results_table(results: list[AuditResult]) -> Table:
    """`marts.audit_results` with these rows, for the candidate."""
    return Table(
        AUDIT_RESULTS_TABLE,
        COLUMNS,
        [astuple(result) for result in results],
        comment="One row per audit check of the run that built this file: outcome and failing rows.",
        types={"rows_checked": "integer", "failing_row_count": "integer"},
    )


def read_audit_results(db: Path) -> list[dict[str, Any]]:
    """The audit results published with `db`, or [] for a file built before they were recorded."""
    tables = read_frames(db, {"t": "select table_name from duckdb_tables() where schema_name = 'marts'"})["t"]
    if "audit_results" not in set(tables["table_name"]):
        return []
    frame = read_frames(db, {"a": f"select * from {AUDIT_RESULTS_TABLE} order by suite, severity, check_name"})["a"]
    return frame.to_dict("records")
