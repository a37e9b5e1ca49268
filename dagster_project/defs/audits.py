"""The Great Expectations suites as Dagster asset checks on the candidate marts.

dagster-ge does not support GX 1.x, so the suites run here on frames read from the candidate
DuckDB file. Each suite reports as a blocking check for its error rules and, where it has advisory
rules, a separate non-blocking check for those; the metadata lists the failing rows. One more
blocking check compares the candidate with the served file: nothing served is dropped silently.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue, asset_check, multi_asset_check

from marketwh.failpoints import failpoint
from marketwh.warehouse.guard import dropped_data

from .keys import CAGR_CHECK_KEY, MARKET_FIGURES_KEY, REPORT_CATALOG_KEY
from .resources import RefreshLockResource, WarehouseResource

# which mart each suite's check is shown on in the UI (all of them gate publishing alike)
SUITE_ASSETS = {
    "shares": MARKET_FIGURES_KEY,
    "growth": CAGR_CHECK_KEY,
}


def _failures_markdown(failures, limit: int = 100) -> str:
    lines = ["| severity | check | failing row | rule |", "|---|---|---|---|"]
    for f in failures[:limit]:
        row = ", ".join(f"{k}={v}" for k, v in f.row.items())
        lines.append(f"| {f.severity} | {f.check} | {row.replace('|', '/')} | {f.rule.replace('|', '/')} |")
    if len(failures) > limit:
        lines.append(f"| | | {len(failures) - limit} more | |")
    return "\n".join(lines)


def _specs() -> list[AssetCheckSpec]:
    """One blocking check per suite for its error rules; one non-blocking check per suite that has
    advisory rules, so an advisory finding never shows as a failed blocking check."""
    from expectations.suites import SUITES

    descriptions = {
        "error": "Blocking: Great Expectations suite '{}', its error rules, on the candidate warehouse (expectations/suites.py).",
        "warn": "Advisory, never blocks: Great Expectations suite '{}', its advisory rules "
        "(the report's own inconsistencies, flagged, not fixed).",
    }
    return [
        AssetCheckSpec(
            name=check_name(suite.name, severity),
            asset=SUITE_ASSETS[suite.name],
            blocking=severity == "error",
            description=descriptions[severity].format(suite.name),
        )
        for suite in SUITES
        for severity in ("error", "warn")
        if severity in {check.severity for check in suite.checks}
    ]


def check_name(suite: str, severity: str) -> str:
    return f"gx_{suite}_suite" if severity == "error" else f"gx_{suite}_advisories"


@multi_asset_check(specs=_specs())
def gx_audit_checks(context, warehouse: WarehouseResource, refresh_lock: RefreshLockResource):
    from expectations.run import run_suites
    from expectations.suites import SUITES

    failpoint("gx")
    severities = {(suite.name, check.severity) for suite in SUITES for check in suite.checks}
    for result in run_suites(warehouse.candidate()):
        for severity in ("error", "warn"):
            if (result.suite, severity) not in severities:
                continue
            failed = [f for f in result.failures if f.severity == severity]
            yield AssetCheckResult(
                check_name=check_name(result.suite, severity),
                asset_key=SUITE_ASSETS[result.suite],
                passed=not failed,
                severity=AssetCheckSeverity.ERROR if severity == "error" else AssetCheckSeverity.WARN,
                description=failed[0].message if failed else None,
                metadata={
                    "suite": result.description,
                    "checks_run": result.checks_run,
                    "rows_checked": result.rows_checked,
                    "failure_count": len(failed),
                    "failing_rows": MetadataValue.md(_failures_markdown(failed)) if failed else MetadataValue.md("none"),
                    "failures": MetadataValue.json(
                        [
                            {
                                "report_id": f.row.get("report_id"),
                                "figure_id": f.row.get("figure_id"),
                                "rule": f.check,
                                "message": f.message,
                            }
                            for f in failed
                        ]
                    ),
                },
            )


@asset_check(
    asset=REPORT_CATALOG_KEY,
    name="candidate_keeps_served_data",
    blocking=True,
    description="Blocking: the candidate keeps every served report and all but max_figure_drop_pct of their figures, "
    "unless the seeds withdraw a report on purpose (marketwh/warehouse/guard.py).",
)
def candidate_keeps_served_data(warehouse: WarehouseResource, refresh_lock: RefreshLockResource) -> AssetCheckResult:
    problems = dropped_data(warehouse.served(), warehouse.candidate())
    return AssetCheckResult(
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        description=problems[0] if problems else None,
        metadata={"problems": MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
    )
