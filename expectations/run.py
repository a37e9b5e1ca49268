"""Run the audit suites on a candidate DuckDB file and describe every failure.

`run_suites(source)` reads each check's rows into pandas, from a DuckDB file through the warehouse's
read-only reader or through any engine's FrameReader (marketwh/warehouse/engine.py),
validates them with GX 1.x and returns one `SuiteResult` per suite: passed or not, its severity, and the failing
rows with the rule they break, ready to show as Dagster asset-check metadata or on a terminal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marketwh.warehouse.reader import FrameReader, file_reader

from .suites import SUITES, Check, Suite


@dataclass
class Failure:
    suite: str
    check: str
    rule: str
    severity: str
    row: dict[str, Any]

    @property
    def message(self) -> str:
        shown = ", ".join(f"{k}={_fmt(v)}" for k, v in self.row.items())
        return f"[{self.check}] {self.rule}: {shown}"


@dataclass
class SuiteResult:
    suite: str
    description: str
    checks_run: int = 0
    rows_checked: int = 0
    failures: list[Failure] = field(default_factory=list)
    rows_by_check: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def severity(self) -> str:
        """error if any blocking rule failed, else warn (advisory only, or nothing failed)."""
        return "error" if any(f.severity == "error" for f in self.failures) else "warn"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return str(value)


THRESHOLDS_SQL = "select rule, threshold from seeds.audit_thresholds"


def _gx_context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def suite_queries(suites: tuple[Suite, ...] = SUITES) -> dict[str, str]:
    """The queries the suites read, by name: the thresholds and each check's rows."""
    return {"thresholds": THRESHOLDS_SQL, **{check.name: check.sql for suite in suites for check in suite.checks}}


def run_suites(source: Path | FrameReader, suites: tuple[Suite, ...] = SUITES) -> list[SuiteResult]:
    import great_expectations as gx

    read = file_reader(source) if isinstance(source, Path) else source
    frames = dict(read(suite_queries(suites)))
    thresholds = {row.rule: float(row.threshold) for row in frames.pop("thresholds").itertuples()}

    context = _gx_context()
    source = context.data_sources.add_pandas("candidate_warehouse")
    results = []
    for suite in suites:
        result = SuiteResult(suite.name, suite.description)
        for check in suite.checks:
            frame = frames[check.name].reset_index(drop=True)
            result.checks_run += 1
            result.rows_checked += len(frame)
            result.rows_by_check[check.name] = len(frame)
            if frame.empty:
                continue
            asset = source.add_dataframe_asset(f"{suite.name}__{check.name}")
            batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame})
            expectation_suite = gx.ExpectationSuite(name=f"{suite.name}.{check.name}")
            for expectation in check.expectations(thresholds):
                expectation_suite.add_expectation(expectation)
            validation = batch.validate(
                expectation_suite,
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": list(check.id_columns)},
            )
            for expectation_result in validation.results:
                if expectation_result.success:
                    continue
                result.failures.extend(_failures(suite, check, expectation_result, frame))
        results.append(result)
    return results


def _failures(suite: Suite, check: Check, expectation_result, frame) -> list[Failure]:
    """One Failure per unexpected row, with the id columns and the checked value."""
    rows = expectation_result.result.get("unexpected_index_list") or []
    failures = []
    for row in rows:
        failures.append(Failure(suite.name, check.name, check.rule, check.severity, {k: _plain(v) for k, v in dict(row).items()}))
    if not failures:  # an expectation about the whole frame (no per-row index)
        failures.append(
            Failure(
                suite.name,
                check.name,
                check.rule,
                check.severity,
                {"observed": _plain(expectation_result.result.get("observed_value"))},
            )
        )
    return failures


def _plain(value: Any) -> Any:
    """numpy scalars -> Python values, so metadata and messages print cleanly."""
    if hasattr(value, "item"):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return str(value)
    return value
