"""Rules of seeds/finding_acknowledgements.csv: an acknowledgement has the provenance of a curated row
(which report, why, who, when) and names a finding key of the form <rule>:<report_id>:<subject>. That
the key still matches a finding is checked after the build, where findings exist (a stale
acknowledgement blocks publishing)."""

from __future__ import annotations

import re

from ..seedfiles import IDENTIFIER, SeedRow, SeedTable
from .common import ValidationResult, at, check_id, check_known

REQUIRED = ("finding_key", "report_id", "reason", "acknowledged_by", "acknowledged_on")
# <rule>:<report_id>:<subject>, the subject being identifiers (ids, keys, years) joined by '/' (dbt/macros/audits.sql)
FINDING_KEY = re.compile(rf"{IDENTIFIER.pattern}:{IDENTIFIER.pattern}:{IDENTIFIER.pattern}(?:/{IDENTIFIER.pattern})*")


def check_acknowledgements(table: SeedTable | None, reports: dict[str, SeedRow], result: ValidationResult) -> None:
    if table is None:
        return
    add = result.problems.append
    seen: dict[str, int] = {}
    for row in table.rows:
        check_id(table, row, "finding_key", seen, add)
        if row["finding_key"] and not FINDING_KEY.fullmatch(row["finding_key"]):
            shape = "<rule>:<report_id>:<subject>, each part an identifier"
            add(at(table, row, "bad_identifier", f"finding_key {row['finding_key']!r} is not a finding key: {shape}"))
        for column in REQUIRED[1:]:
            if not row[column]:
                add(at(table, row, "value_missing", f"column {column} is empty: an acknowledgement says which report, why, who and when"))
        if row["report_id"] and check_known(table, row, "report_id", list(reports), "unknown_report", "in seeds/reports.csv", add):
            parts = row["finding_key"].split(":")
            if len(parts) < 3 or parts[1] != row["report_id"]:
                add(
                    at(
                        table,
                        row,
                        "finding_key_report",
                        f"finding_key {row['finding_key']!r} is not a key of report {row['report_id']!r} "
                        "(<rule>:<report_id>:<subject>, as `marketwh findings` lists it)",
                    )
                )
