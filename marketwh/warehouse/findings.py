"""The findings of a build, as BI tools and the command line read them: `marts.report_findings`.

A finding is a place where a report disagrees with itself (its stated CAGR against its own values, shares
summing to 112, a ranking its shares contradict): the publisher's error, shown with both numbers, never
hidden or "fixed". A blocking finding stops publishing until a person acknowledges it
(`marketwh acknowledge`), after which it is published with status `acknowledged` and stays in the table.
dbt builds the table (dbt/models/marts/report_findings.sql) from the verdicts of the audit views, so the
last refresh attempt's findings are in the candidate when that attempt failed, and in the served file
when it published. Nothing here judges or keys a finding: this module only reads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .reader import LAST_ATTEMPT, is_lock_conflict, last_attempt_files, read_frames

FINDINGS_TABLE = "marts.report_findings"
# the values dbt writes (report_findings.severity and .status)
BLOCKING, ADVISORY = "blocking", "advisory"
OPEN, ACKNOWLEDGED = "open", "acknowledged"


def last_attempt_findings(served: Path) -> tuple[list[dict[str, Any]], str]:
    """The findings of the last refresh attempt and where they were read from: the candidate when the
    last attempt stopped after dbt built its findings, else the served file. A candidate that a running
    refresh is building (dbt holds it for writing) is skipped, and the source says so in one sentence."""
    skipped = ""
    for path, source in last_attempt_files(served):
        try:
            tables = read_frames(path, {"t": "select table_name from duckdb_tables() where schema_name = 'marts'"})["t"]
            if "report_findings" in set(tables["table_name"]):
                frame = read_frames(path, {"f": f"select * from {FINDINGS_TABLE} order by severity, status desc, finding_key"})["f"]
                return _plain_records(frame), source + skipped
        except Exception as error:
            if source != LAST_ATTEMPT or not is_lock_conflict(error):
                raise
            skipped = " (a refresh is building its candidate now, which is locked while dbt writes it: its findings show when it finishes)"
    return [], "no build with findings yet" + (skipped or " (run `marketwh refresh`)")


def _plain_records(frame) -> list[dict[str, Any]]:
    """Rows as dicts with None for a missing value (pandas gives NaN or NA for a missing number or text)."""
    import pandas as pd

    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]
