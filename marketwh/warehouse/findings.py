"""The findings of a build, as a table BI tools read: `marts.report_findings`.

A finding is a place where a report disagrees with itself (its stated CAGR against its own values, shares
summing to 112, a ranking its shares contradict): the publisher's error, shown with both numbers, never
hidden or "fixed". A blocking finding stops publishing until a person acknowledges it
(`marketwh acknowledge`), after which it is published with status `acknowledged` and stays in the table.
The audit step writes the table into the candidate; the last refresh attempt's findings are therefore in
the candidate when that attempt failed, and in the served file when it published.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .reader import FrameReader, last_attempt_files, read_frames
from .tables import Table

FINDINGS_TABLE = "marts.report_findings"
ACKNOWLEDGEMENTS_TABLE = "seeds.finding_acknowledgements"
BLOCKING, ADVISORY = "blocking", "advisory"
OPEN, ACKNOWLEDGED = "open", "acknowledged"

COLUMNS = {
    "finding_key": "Stable key of the finding: <rule>:<report_id>:<what it is about>. Acknowledge it by this key.",
    "rule": "The audit rule the report's own numbers break (expectations/suites.py).",
    "severity": "blocking (stops publishing until acknowledged) or advisory (shown, never blocks).",
    "report_id": "The report that disagrees with itself: reports.report_id.",
    "subject": "What the finding is about: figure ids, or dimension/region/year of a split.",
    "stated_value": "The number the report states (a CAGR, a share sum, a claimed rank, a value).",
    "compared_value": (
        "The number it is compared with (the CAGR its own values imply, the rank its shares give); "
        "null when the rule compares with a bound."
    ),
    "message": "The rule and the failing row, in words.",
    "status": "open, or acknowledged by a person (then published and kept here).",
    "acknowledgement_reason": "Why the finding was accepted (seeds/finding_acknowledgements.csv).",
    "acknowledged_by": "Who acknowledged it.",
    "acknowledged_on": "When it was acknowledged.",
}


@dataclass(frozen=True)
class Finding:
    finding_key: str
    rule: str
    severity: str
    report_id: str
    subject: str
    stated_value: float | None
    compared_value: float | None
    message: str
    status: str = OPEN
    acknowledgement_reason: str | None = None
    acknowledged_by: str | None = None
    acknowledged_on: str | None = None


ACKNOWLEDGEMENT_QUERIES = {"acknowledgements": f"select * from {ACKNOWLEDGEMENTS_TABLE}"}


def read_acknowledgements(read: FrameReader) -> dict[str, dict[str, Any]]:
    """finding_key -> the acknowledgement row, as the build (read through `read`) loaded them from the seed."""
    frame = read(ACKNOWLEDGEMENT_QUERIES)["acknowledgements"]
    return {row["finding_key"]: row for row in frame.to_dict("records")}


def findings_table(findings: list[Finding]) -> Table:
    """`marts.report_findings` with these rows, for the candidate."""
    return Table(
        FINDINGS_TABLE,
        COLUMNS,
        [[asdict(finding)[column] for column in COLUMNS] for finding in findings],
        comment="One row per finding: a place where a report disagrees with itself, with both numbers.",
        types={"stated_value": "double", "compared_value": "double"},
    )


def last_attempt_findings(served: Path) -> tuple[list[dict[str, Any]], str]:
    """The findings of the last refresh attempt and where they were read from: the candidate when the
    last attempt stopped after its audit, else the served file."""
    for path, source in last_attempt_files(served):
        tables = read_frames(path, {"t": "select table_name from duckdb_tables() where schema_name = 'marts'"})["t"]
        if "report_findings" in set(tables["table_name"]):
            frame = read_frames(path, {"f": f"select * from {FINDINGS_TABLE} order by severity, status desc, finding_key"})["f"]
            return frame.to_dict("records"), source
    return [], "no build with findings yet (run `marketwh refresh`)"
