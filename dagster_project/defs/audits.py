"""The Great Expectations suites as Dagster asset checks on the candidate marts.

dagster-ge does not support GX 1.x, so the suites run here on frames read from the candidate
through its engine (the DuckDB file, or Spark through dbt's connection: marketwh/warehouse/engine.py).
Each suite reports as a blocking check for its error rules and, where it has advisory rules, a separate
non-blocking check for those; the metadata lists the failing rows. One more blocking check compares the
candidate with what is served: nothing served is dropped silently.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue, asset_check, multi_asset_check

from marketwh.failpoints import failpoint
from marketwh.warehouse.audit_results import audit_results_table
from marketwh.warehouse.findings import ACKNOWLEDGEMENT_QUERIES, BLOCKING, OPEN, findings_table, read_acknowledgements
from marketwh.warehouse.guard import dropped_data
from marketwh.warehouse.reader import prefetched

from ..metadata import markdown_table
from .keys import ACKNOWLEDGEMENTS_KEY, CAGR_CHECK_KEY, MARKET_FIGURES_KEY, REPORT_CATALOG_KEY, schema_keys
from .resources import RefreshLockResource, WarehouseResource

# which mart each suite's check is shown on in the UI (all of them gate publishing alike)
SUITE_ASSETS = {
    "shares": MARKET_FIGURES_KEY,
    "growth": CAGR_CHECK_KEY,
}


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
            additional_deps=schema_keys("audits"),  # the views the suites read (dbt/models/audits)
        )
        for suite in SUITES
        for severity in ("error", "warn")
        if severity in {check.severity for check in suite.checks}
    ]


def check_name(suite: str, severity: str) -> str:
    return f"gx_{suite}_suite" if severity == "error" else f"gx_{suite}_advisories"


ACKNOWLEDGEMENTS_CHECK = "acknowledgements_match_findings"


@multi_asset_check(
    specs=[
        *_specs(),
        AssetCheckSpec(
            name=ACKNOWLEDGEMENTS_CHECK,
            asset=ACKNOWLEDGEMENTS_KEY,
            blocking=True,
            description="Blocking: every acknowledgement matches a finding of this build (a stale one is removed, never kept).",
        ),
    ]
)
def gx_audit_checks(context, warehouse: WarehouseResource, refresh_lock: RefreshLockResource):
    from expectations.findings import audit_results_of, findings_of, stale_acknowledgements
    from expectations.run import run_suites, suite_queries
    from expectations.suites import SUITES

    failpoint("gx")
    engine = warehouse.engine(context.run.run_id)
    # one read of the candidate for the suites and the acknowledgements (on Spark, one dbt operation)
    read = prefetched(engine.read_candidate(), suite_queries(), ACKNOWLEDGEMENT_QUERIES)
    results = run_suites(read)
    acknowledgements = read_acknowledgements(read)
    findings = {finding.finding_key: finding for finding in findings_of(results, acknowledgements)}
    engine.write_table(findings_table(list(findings.values())))  # marts.report_findings, published with the build
    engine.write_table(audit_results_table(audit_results_of(results, list(findings.values()))))  # marts.audit_results, likewise
    severities = {(suite.name, check.severity) for suite in SUITES for check in suite.checks}
    for result in results:
        for severity in ("error", "warn"):
            if (result.suite, severity) not in severities:
                continue
            rows = [f for f in findings.values() if _suite_of(f.rule) == result.suite and (f.severity == BLOCKING) == (severity == "error")]
            still_open = [f for f in rows if f.status == OPEN]
            yield AssetCheckResult(
                check_name=check_name(result.suite, severity),
                asset_key=SUITE_ASSETS[result.suite],
                passed=not (still_open if severity == "error" else rows),
                severity=AssetCheckSeverity.ERROR if severity == "error" else AssetCheckSeverity.WARN,
                description=_describe(still_open if severity == "error" else rows),
                metadata={
                    "suite": result.description,
                    "checks_run": result.checks_run,
                    "rows_checked": result.rows_checked,
                    "open_findings": len(still_open),
                    "acknowledged_findings": len(rows) - len(still_open),
                    "findings": MetadataValue.md(_findings_markdown(rows)),
                },
            )
    stale = stale_acknowledgements(list(findings.values()), acknowledgements)
    yield AssetCheckResult(
        check_name=ACKNOWLEDGEMENTS_CHECK,
        asset_key=ACKNOWLEDGEMENTS_KEY,
        passed=not stale,
        severity=AssetCheckSeverity.ERROR,
        description=(
            f"acknowledgement {stale[0]!r} in seeds/finding_acknowledgements.csv matches no finding of this build any more "
            "(the report or the rule changed): remove the row" + (f" (and {len(stale) - 1} more)" if len(stale) > 1 else "")
        )
        if stale
        else None,
        metadata={"stale_acknowledgements": MetadataValue.json(stale)},
    )


def _suite_of(rule: str) -> str:
    from expectations.suites import SUITES

    return next(suite.name for suite in SUITES for check in suite.checks if check.name == rule)


def _describe(findings) -> str | None:
    """The first finding, its key and what to do: a blocked refresh names the key and the command."""
    if not findings:
        return None
    first = findings[0]
    more = f" (and {len(findings) - 1} more: `marketwh findings`)" if len(findings) > 1 else ""
    if first.severity == BLOCKING:
        return (
            f"finding {first.finding_key}: {first.message}{more}. If the document itself says so, acknowledge it: "
            f"marketwh acknowledge {first.finding_key} --reason '...'"
        )
    return f"finding {first.finding_key}: {first.message}{more}"


def _findings_markdown(findings) -> str:
    rows = [(f.finding_key, f.status, f.stated_value, f.compared_value, f.message) for f in findings]
    return markdown_table(("key", "status", "stated", "compared", "message"), rows)


@asset_check(
    asset=REPORT_CATALOG_KEY,
    name="candidate_keeps_served_data",
    blocking=True,
    description="Blocking: the candidate keeps every served report and all but max_figure_drop_pct of their figures, "
    "unless the seeds withdraw a report on purpose (marketwh/warehouse/guard.py).",
)
def candidate_keeps_served_data(context, warehouse: WarehouseResource, refresh_lock: RefreshLockResource) -> AssetCheckResult:
    engine = warehouse.engine(context.run.run_id)
    problems = dropped_data(engine.read_served(), engine.read_candidate())
    return AssetCheckResult(
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        description=problems[0] if problems else None,
        metadata={"problems": MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
    )
