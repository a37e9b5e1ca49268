"""The bundle's two rules about adding (adds_non_additive, groups_across_reports; stated with the others in
bundle_checks.py): no chart's metric adds up a column its dataset does not declare additive, and a chart
that aggregates values of several reports groups by a column naming one report edition.

What may be added is declared where the data engineer edits the dataset: in a column's `extra` in the
dataset's YAML, `{additive: true}` (a count of figures) or `{identifies_report: true}` (report_id, and the
mart's report_label, unique to one edition by its dbt test). Nothing else is additive: an estimate, a share
or a growth rate of two editions, reports or years added up is a number no report states.
"""

from __future__ import annotations

import re
from pathlib import Path

from serving.superset.bundle_checks import REPORT_COLUMNS, Bundle, _line, _names, _say

ADDING = re.compile(r"\b(SUM|AVG|MEAN|TOTAL)\s*\(", re.IGNORECASE)  # aggregates that add values up
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _declared(column: dict, key: str) -> bool:
    """What the dataset's YAML declares about a column in its `extra` (`{additive: true}`, `{identifies_report: true}`)."""
    extra = column.get("extra") or {}
    return isinstance(extra, dict) and extra.get(key) is True


def _queries(params: dict) -> list[tuple[str, list, list[str]]]:
    """Each aggregating query of a chart: its metrics key, its metrics, and the columns it groups by (its
    series and its x axis); none for a table of raw rows."""
    if params.get("query_mode") == "raw":
        return []
    axis = _names(params.get("x_axis"))
    found = [("metrics", params.get("metrics") or [], _names(params.get("groupby")) + axis)]
    if "metrics_b" in params:
        found.append(("metrics_b", params.get("metrics_b") or [], _names(params.get("groupby_b")) + axis))
    return [(key, metrics, groups) for key, metrics, groups in found if metrics]


def _metric_sql(metric, saved: dict[str, dict]) -> tuple[str, str | None]:
    """A chart metric's SQL and, for a dataset's saved metric, its name (an adhoc metric is the chart's own)."""
    if isinstance(metric, str):
        return str((saved.get(metric) or {}).get("expression") or ""), metric
    if metric.get("expressionType") == "SQL":
        return str(metric.get("sqlExpression") or ""), None
    column = (metric.get("column") or {}).get("column_name") or ""
    return f"{metric.get('aggregate') or ''}({column})", None


def _computed(column: dict, dataset: dict) -> bool:
    """True when the dataset computes the column itself (a calculated column, or `... as name` in its SQL)
    rather than serving the mart's column as it is."""
    own_sql = re.search(rf"\bas\s+{re.escape(column['column_name'])}\b", dataset.get("sql") or "", re.IGNORECASE)
    return bool((column.get("expression") or "").strip() or own_sql)


def non_additive(path: Path, chart: dict, bundle: Bundle) -> list[str]:
    """The chart's adds_non_additive and groups_across_reports findings (rules in bundle_checks' docstring)."""
    found, columns, saved = [], bundle.columns(chart), bundle.metrics(chart)
    dataset_path, dataset = bundle.datasets[chart["dataset_uuid"]]
    over_reports = any(c in columns for c in REPORT_COLUMNS)
    for key, metrics, groups in _queries(chart["params"]):
        reads_values = False
        for metric in metrics:
            sql, name = _metric_sql(metric, saved)
            read = [c for c in dict.fromkeys(IDENTIFIER.findall(sql)) if c in columns and not _declared(columns[c], "additive")]
            reads_values = reads_values or bool(read)
            if read and ADDING.search(sql):
                message = (
                    f"{ADDING.search(sql).group(1).upper()} over {', '.join(read)}, which the dataset does not declare additive "
                    f"({{additive: true}} in the column's extra): two editions, reports or years of it added make a number no report states"
                )
                if name is None:
                    found.append(_say(path, _line(path, key), "adds_non_additive", f"{key} {sql!r}: {message}"))
                else:
                    where = _line(dataset_path, "metric_name", name)
                    found.append(_say(dataset_path, where, "adds_non_additive", f"metric {name} (shown by {path.name}): {message}"))
        declared = [c for c in groups if c in columns and _declared(columns[c], "identifies_report")]
        served = [c for c in declared if not _computed(columns[c], dataset)]
        if over_reports and reads_values and not served:
            why = (
                f"{', '.join(declared)} is computed in the dataset, where no dbt test keeps it unique to one edition"
                if declared
                else f"its groups ({', '.join(groups) or 'none'}) name no report edition"
            )
            message = (
                f"it aggregates values of several reports and {why}: a label several reports or editions share (the publisher) "
                "puts their values in one group; group by a column the mart serves, declared {identifies_report: true}"
            )
            found.append(_say(path, _line(path, "groupby_b" if key == "metrics_b" else "groupby"), "groups_across_reports", message))
    return found
