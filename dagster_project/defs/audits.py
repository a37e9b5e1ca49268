"""The Great Expectations gate as Dagster asset checks on the candidate marts.

Every audit rule is judged once, in dbt (dbt/models/audits): its failing rows are the findings of
`marts.report_findings`, and a stale acknowledgement is the dbt test `acknowledgements_match_findings`.
dagster-ge does not support GX 1.x, so the suites (expectations/suites.py) run here on the findings read
from the candidate through its engine (the DuckDB file, or Spark through dbt's connection:
marketwh/warehouse/engine.py). Each suite reports as a blocking check (no open blocking finding of its
rules) and, where it has advisory rules, a separate non-blocking check listing those findings; the
metadata lists the findings. One more blocking check compares the candidate with what is served:
nothing served is dropped silently.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue, asset_check, multi_asset_check

from marketwh.failpoints import failpoint
from marketwh.warehouse.findings import BLOCKING, OPEN
from marketwh.warehouse.guard import GUARD_QUERIES, dropped_data
from marketwh.warehouse.reader import prefetched
from marketwh.warehouse.served_values import QUERIES as SERVED_VALUE_QUERIES
from marketwh.warehouse.served_values import served_value_problems

from ..metadata import markdown_table
from .keys import CAGR_CHECK_KEY, MARKET_FIGURES_KEY, REPORT_CATALOG_KEY
from .resources import RefreshLockResource, WarehouseResource

# which mart each suite's check is shown on in the UI (all of them gate publishing alike)
SUITE_ASSETS = {
    "shares": MARKET_FIGURES_KEY,
    "growth": CAGR_CHECK_KEY,
    # a figure two quotes give two values is left out of market_figures: its check sits there
    "figures": MARKET_FIGURES_KEY,
}
# what the suites read: the findings dbt built and the rules' suites
FINDINGS_KEYS = [AssetKey(["marts", "report_findings"]), AssetKey(["marts", "audit_results"])]


def _specs() -> list[AssetCheckSpec]:
    """One blocking check per suite (no open blocking finding); one non-blocking check per suite that has
    advisory rules, so an advisory finding never shows as a failed blocking check."""
    from expectations.suites import SUITES

    descriptions = {
        "error": "Blocking: Great Expectations suite '{}': no open blocking finding of its rules in the candidate's "
        "report_findings (the rules are judged in dbt/models/audits).",
        "warn": "Advisory, never blocks: Great Expectations suite '{}', the findings of its advisory rules "
        "(the report's own inconsistencies, flagged, not fixed).",
    }
    return [
        AssetCheckSpec(
            name=check_name(suite.name, severity),
            asset=SUITE_ASSETS[suite.name],
            blocking=severity == "error",
            description=descriptions[severity].format(suite.name),
            additional_deps=FINDINGS_KEYS,
        )
        for suite in SUITES
        for severity in ("error", "warn")
        if severity == "error" or suite.has_advisories
    ]


def check_name(suite: str, severity: str) -> str:
    return f"gx_{suite}_suite" if severity == "error" else f"gx_{suite}_advisories"


SERVED_REPORTS = {"reports": "select * from marts.reports"}


def audit_engine(context, warehouse: WarehouseResource):
    """The run's engine with every read of the audit steps planned: on Spark the first of them reads the
    candidate and the served views for all the checks in one dbt operation, not one per check and side."""
    from expectations.run import suite_queries

    engine = warehouse.engine(context.run.run_id)
    engine.plan_reads(
        candidate=[*suite_queries().values(), *GUARD_QUERIES.values(), *SERVED_VALUE_QUERIES.values()],
        served=[*SERVED_REPORTS.values(), *SERVED_VALUE_QUERIES.values()],
    )
    return engine


@multi_asset_check(specs=_specs())
def gx_audit_checks(context, warehouse: WarehouseResource, refresh_lock: RefreshLockResource):
    from expectations.run import run_suites
    from expectations.suites import SUITES

    failpoint("gx")
    engine = audit_engine(context, warehouse)
    # one read of the candidate for every suite (on Spark, with every other read of the audits)
    for result in run_suites(engine.read_candidate()):
        suite = next(s for s in SUITES if s.name == result.suite)
        acknowledged = [f for f in result.blocking if f not in result.failures]
        yield AssetCheckResult(
            check_name=check_name(result.suite, "error"),
            asset_key=SUITE_ASSETS[result.suite],
            passed=result.passed,
            severity=AssetCheckSeverity.ERROR,
            description=_describe(result.failures),
            metadata={
                "suite": result.description,
                "checks_run": result.checks_run,
                "rows_checked": result.rows_checked,
                "open_findings": len(result.failures),
                "acknowledged_findings": len(acknowledged),
                "findings": MetadataValue.md(_findings_markdown(result.blocking)),
            },
        )
        if suite.has_advisories:
            advisories = result.advisories
            yield AssetCheckResult(
                check_name=check_name(result.suite, "warn"),
                asset_key=SUITE_ASSETS[result.suite],
                passed=not advisories,
                severity=AssetCheckSeverity.WARN,
                description=_describe(advisories),
                metadata={
                    "suite": result.description,
                    "checks_run": result.checks_run,
                    "rows_checked": result.rows_checked,
                    "open_findings": sum(f["status"] == OPEN for f in advisories),
                    "acknowledged_findings": sum(f["status"] != OPEN for f in advisories),
                    "findings": MetadataValue.md(_findings_markdown(advisories)),
                },
            )


def _describe(findings) -> str | None:
    """The first finding, its key and what to do: a blocked refresh names the key and the command."""
    if not findings:
        return None
    first = findings[0]
    more = f" (and {len(findings) - 1} more: `marketwh findings`)" if len(findings) > 1 else ""
    if first["severity"] == BLOCKING:
        return (
            f"finding {first['finding_key']}: {first['message']}{more}. If the document itself says so, acknowledge it: "
            f"marketwh acknowledge {first['finding_key']} --reason '...'"
        )
    return f"finding {first['finding_key']}: {first['message']}{more}"


def _findings_markdown(findings) -> str:
    rows = [(f["finding_key"], f["status"], f["stated_value"], f["compared_value"], f["message"]) for f in findings]
    return markdown_table(("key", "status", "stated", "compared", "message"), rows)


@asset_check(
    asset=REPORT_CATALOG_KEY,
    name="candidate_keeps_served_data",
    blocking=True,
    description="Blocking: the candidate keeps every served report and all but max_figure_drop_pct of their figures, "
    "unless the seeds withdraw a report on purpose (marketwh/warehouse/guard.py); a report whose own rows and document "
    "did not change keeps its served values unless the refresh accepts a vocabulary change, and every audit rule keeps "
    "checking its rows (marketwh/warehouse/served_values.py).",
)
def candidate_keeps_served_data(context, warehouse: WarehouseResource, refresh_lock: RefreshLockResource) -> AssetCheckResult:
    engine = audit_engine(context, warehouse)
    # each side read once (on Spark both were read with the suites' reads): the reports, and what the values guard reads
    read_served = engine.read_served()
    if read_served is not None:
        read_served = prefetched(read_served, SERVED_REPORTS, SERVED_VALUE_QUERIES)
    read_candidate = prefetched(engine.read_candidate(), GUARD_QUERIES, SERVED_VALUE_QUERIES)
    problems = dropped_data(read_served, read_candidate) + served_value_problems(read_served, read_candidate)
    return AssetCheckResult(
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        description=problems[0] if problems else None,
        metadata={"problems": MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
    )
