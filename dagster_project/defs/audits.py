"""The Great Expectations suites as blocking Dagster asset checks on the candidate marts.

dagster-ge does not support GX 1.x, so the suites run here on frames read from the candidate
DuckDB file; each suite reports as one asset check whose metadata lists the failing rows.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue, multi_asset_check

from marketwh.failpoints import failpoint

from .keys import CAGR_CHECK_KEY, MARKET_FIGURES_KEY
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


@multi_asset_check(
    specs=[
        AssetCheckSpec(
            name=f"gx_{suite}_suite",
            asset=key,
            blocking=True,
            description=f"Great Expectations suite '{suite}' on the candidate warehouse (expectations/suites.py).",
        )
        for suite, key in SUITE_ASSETS.items()
    ],
)
def gx_audit_checks(context, warehouse: WarehouseResource, refresh_lock: RefreshLockResource):
    from expectations.run import run_suites

    failpoint("gx")
    for result in run_suites(warehouse.candidate()):
        failures = [
            {"report_id": f.row.get("report_id"), "figure_id": f.row.get("figure_id"), "rule": f.check, "message": f.message}
            for f in result.failures
        ]
        yield AssetCheckResult(
            check_name=f"gx_{result.suite}_suite",
            asset_key=SUITE_ASSETS[result.suite],
            passed=result.passed,
            severity=AssetCheckSeverity.ERROR if result.severity == "error" else AssetCheckSeverity.WARN,
            description=None if result.passed else result.failures[0].message,
            metadata={
                "suite": result.description,
                "checks_run": result.checks_run,
                "rows_checked": result.rows_checked,
                "failure_count": len(result.failures),
                "failing_rows": MetadataValue.md(_failures_markdown(result.failures)) if failures else MetadataValue.md("none"),
                "failures": MetadataValue.json(failures),
            },
        )
