"""From audit failures to findings: every failing row of a GX check is a finding of the report it is
about, keyed stably (rule, report, subject) so a person can acknowledge it once and the key still
matches on the next refresh. Acknowledgements come from the build (seeds.finding_acknowledgements)."""

from __future__ import annotations

from typing import Any

from marketwh.warehouse.audit_results import AuditResult, audit_result
from marketwh.warehouse.findings import ACKNOWLEDGED, ADVISORY, BLOCKING, Finding

from .run import SuiteResult
from .suites import SUITES


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _finding_key(check, row: dict[str, Any]) -> str:
    subject = "/".join(str(row[c]) for c in check.subject if row.get(c) is not None) or "whole table"
    return f"{check.name}:{row.get('report_id') or 'all'}:{subject}"


def findings_of(results: list[SuiteResult], acknowledgements: dict[str, dict[str, Any]]) -> list[Finding]:
    checks = {(suite.name, check.name): check for suite in SUITES for check in suite.checks}
    findings: dict[str, Finding] = {}
    for result in results:
        for failure in result.failures:
            check = checks[(result.suite, failure.check)]
            row = failure.row
            key = _finding_key(check, row)
            subject = key.split(":", 2)[2]
            ack = acknowledgements.get(key)
            findings[key] = Finding(
                finding_key=key,
                rule=check.name,
                severity=BLOCKING if check.severity == "error" else ADVISORY,
                report_id=str(row.get("report_id") or ""),
                subject=subject,
                stated_value=_number(row.get(check.stated)) if check.stated else None,
                compared_value=_number(row.get(check.compared)) if check.compared else None,
                message=failure.message,
                **(
                    {
                        "status": ACKNOWLEDGED,
                        "acknowledgement_reason": ack["reason"],
                        "acknowledged_by": ack["acknowledged_by"],
                        "acknowledged_on": str(ack["acknowledged_on"]),
                    }
                    if ack
                    else {}
                ),
            )
    return sorted(findings.values(), key=lambda f: f.finding_key)


def stale_acknowledgements(findings: list[Finding], acknowledgements: dict[str, dict[str, Any]]) -> list[str]:
    """Acknowledgements that match no finding any more: the report changed, or the key was mistyped."""
    keys = {finding.finding_key for finding in findings}
    return sorted(key for key in acknowledgements if key not in keys)


def audit_results_of(results: list[SuiteResult], findings: list[Finding]) -> list[AuditResult]:
    """One row per check for marts.audit_results: its outcome and failing rows, each with its finding."""
    by_key = {finding.finding_key: finding for finding in findings}
    rows = []
    for suite in SUITES:
        result = next((r for r in results if r.suite == suite.name), None)
        if result is None:
            continue
        for check in suite.checks:
            failing = []
            for failure in (f for f in result.failures if f.check == check.name):
                finding = by_key.get(_finding_key(check, failure.row))
                failing.append(
                    {**failure.row, "finding_key": finding.finding_key if finding else None, "status": finding.status if finding else None}
                )
            acknowledged = all(row["status"] == ACKNOWLEDGED for row in failing)
            rows.append(
                audit_result(
                    suite.name,
                    check.name,
                    check.rule,
                    check.severity,
                    result.rows_by_check.get(check.name, 0),
                    failing,
                    all_acknowledged=acknowledged,
                )
            )
    return rows
