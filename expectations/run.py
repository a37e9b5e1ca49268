"""Run the audit suites on a candidate warehouse: the gate on the findings dbt built.

`run_suites(source)` reads the findings of each suite's rules (marts.report_findings with the suite
of each rule from marts.audit_results), from a DuckDB file through the warehouse's read-only reader
or through any engine's FrameReader (marketwh/warehouse/engine.py), and validates with GX 1.x the one
expectation every suite has: its open blocking findings number 0. It returns one `SuiteResult` per
suite: passed or not, the failing rows (the open blocking findings) and its other findings, ready to
show as Dagster asset-check metadata or on a terminal. Nothing is judged here that dbt judged already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marketwh.warehouse.findings import ADVISORY, BLOCKING, OPEN
from marketwh.warehouse.reader import FrameReader, file_reader

from .suites import SUITES, Suite

QUERIES = {
    "findings": """
        select findings.*, results.suite
        from marts.report_findings as findings
        inner join marts.audit_results as results
            on findings.rule = results.check_name
        order by findings.finding_key""",
    "rules": "select suite, check_name, severity, rows_checked from marts.audit_results",
}


@dataclass
class SuiteResult:
    suite: str
    description: str
    checks_run: int = 0  # rules of the suite
    rows_checked: int = 0  # rows their audit views judged
    failures: list[dict[str, Any]] = field(default_factory=list)  # the expectation's failing rows: open blocking findings
    findings: list[dict[str, Any]] = field(default_factory=list)  # every finding of the suite's rules, any status

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def severity(self) -> str:
        """error if an open blocking finding remains, else warn (advisory only, or nothing failed)."""
        return "error" if self.failures else "warn"

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["severity"] == BLOCKING]

    @property
    def advisories(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["severity"] == ADVISORY]


def _gx_context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def suite_queries() -> dict[str, str]:
    """The queries the suites read, by name."""
    return dict(QUERIES)


def run_suites(source: Path | FrameReader, suites: tuple[Suite, ...] = SUITES) -> list[SuiteResult]:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    read = file_reader(source) if isinstance(source, Path) else source
    frames = read(suite_queries())
    findings, rules = frames["findings"], frames["rules"]
    context = _gx_context()
    data_source = context.data_sources.add_pandas("candidate_warehouse")
    results = []
    for suite in suites:
        own_rules = rules[rules["suite"] == suite.name]
        own = findings[findings["suite"] == suite.name].reset_index(drop=True)
        open_blocking = own[(own["severity"] == BLOCKING) & (own["status"] == OPEN)].reset_index(drop=True)
        asset = data_source.add_dataframe_asset(f"{suite.name}__open_blocking_findings")
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": open_blocking})
        expectation_suite = gx.ExpectationSuite(name=f"{suite.name}.no_open_blocking_finding")
        expectation_suite.add_expectation(gxe.ExpectTableRowCountToEqual(value=0))
        validation = batch.validate(expectation_suite)
        results.append(
            SuiteResult(
                suite=suite.name,
                description=suite.description,
                checks_run=len(own_rules),
                rows_checked=int(own_rules["rows_checked"].sum()),
                failures=[] if validation.success else _records(open_blocking),
                findings=_records(own),
            )
        )
    return results


def _records(frame) -> list[dict[str, Any]]:
    """Rows as plain dicts (numpy scalars -> Python values, NaN -> None), so metadata and messages print cleanly."""
    import math

    rows = []
    for row in frame.to_dict("records"):
        plain = {}
        for key, value in row.items():
            if hasattr(value, "item"):
                value = value.item()
            if isinstance(value, float) and math.isnan(value):
                value = None
            plain[key] = value
        rows.append(plain)
    return rows
