"""Rules of seeds/finding_acknowledgements.csv: an acknowledgement has the provenance of a curated row
(which report, why, who, when) and names a finding key of the form <rule>:<report_id>:<subject>. That
the key still matches a finding is checked after the build, where findings exist (a stale
acknowledgement blocks publishing).

The row rules are one function (`row_problems`), so `marketwh acknowledge` refuses a row by the same
rules before writing it. The free text (reason, who) must be visible text (a reason of only a zero-width
space says nothing) and must not start as a spreadsheet formula (`=HYPERLINK(...)`, `+`, `-`, `@`): the
reason is served in `report_findings`, which analysts export to spreadsheets; the writer neutralises a
formula with a leading apostrophe, and a hand-edited one is refused here with its line.
"""

from __future__ import annotations

import re
import unicodedata

from ..seedfiles import IDENTIFIER, SeedRow, SeedTable, spreadsheet_safe
from .common import ValidationResult, at, check_id, check_known

REQUIRED = ("finding_key", "report_id", "reason", "acknowledged_by", "acknowledged_on")
# <rule>:<report_id>:<subject>, the subject being identifiers (ids, keys, years) joined by '/' (dbt/macros/audits.sql)
FINDING_KEY = re.compile(rf"{IDENTIFIER.pattern}:{IDENTIFIER.pattern}:{IDENTIFIER.pattern}(?:/{IDENTIFIER.pattern})*")
FREE_TEXT = ("reason", "acknowledged_by")


def visible(text: str) -> bool:
    """Whether `text` has a character a reader sees (not a space, control or format character such as U+200B)."""
    return any(unicodedata.category(c)[0] not in "ZC" for c in text)


def row_problems(row: dict[str, str]) -> list[tuple[str, str]]:
    """(rule, message) for each rule one acknowledgement row breaks on its own."""
    found = []
    if row.get("finding_key") and not FINDING_KEY.fullmatch(row["finding_key"]):
        shape = "<rule>:<report_id>:<subject>, each part an identifier"
        found.append(("bad_identifier", f"finding_key {row['finding_key']!r} is not a finding key: {shape}"))
    for column in REQUIRED[1:]:
        if not row.get(column, "").strip():
            found.append(("value_missing", f"column {column} is empty: an acknowledgement says which report, why, who and when"))
        elif column in FREE_TEXT and not visible(row[column]):
            found.append(("value_missing", f"column {column} has no visible text (only spaces or invisible characters such as U+200B)"))
    for column in FREE_TEXT:
        value = row.get(column, "")
        if spreadsheet_safe(value) != value:
            found.append(
                (
                    "formula_text",
                    f"column {column}: {value[:40]!r} starts with {value[0]!r}, which a spreadsheet opening an export of "
                    "report_findings runs as a formula; start it with a word (or a leading apostrophe)",
                )
            )
    parts = row.get("finding_key", "").split(":")
    if row.get("report_id") and (len(parts) < 3 or parts[1] != row["report_id"]):
        found.append(
            (
                "finding_key_report",
                f"finding_key {row.get('finding_key')!r} is not a key of report {row['report_id']!r} "
                "(<rule>:<report_id>:<subject>, as `marketwh findings` lists it)",
            )
        )
    return found


def check_acknowledgements(table: SeedTable | None, reports: dict[str, SeedRow], result: ValidationResult) -> None:
    if table is None:
        return
    add = result.problems.append
    seen: dict[str, int] = {}
    for row in table.rows:
        check_id(table, row, "finding_key", seen, add)
        known = not row["report_id"] or check_known(table, row, "report_id", list(reports), "unknown_report", "in seeds/reports.csv", add)
        for rule, message in row_problems(row):
            if rule != "finding_key_report" or known:
                add(at(table, row, rule, message))
