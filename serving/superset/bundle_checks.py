"""Rules the exported Superset bundle must keep, read from its YAML alone (no Superset process).

An analyst reads the dashboard as a briefing, so every chart must show numbers as their sources print them
and words instead of keys, and must not mislead:
- number_format: every chart sets a number format (d3, thousands separated, fixed point: `,.6~f`, `,d`), never
  Superset's default (SMART_NUMBER, which prints 2.5e+6 on an axis) nor a scientific, SI or significant-digit
  format; a year is a year (`d`, `%Y`), never `2,027`.
- snake_case_label: axis titles, the verbose names of the dataset columns and metrics a chart shows, and the
  native filters' names are words, not keys (`usd_bn`, `market_value`).
- stack_mixes: a stacked chart separates geographies (a region column on its axis or in its series) and bases
  (a basis column in its series), so a China shipment share is never stacked on a global value share.
- reported_not_separated: a chart over data that has reported and derived values (a value_kind, basis or
  share_basis column) shows which is which (in its series or columns) or keeps one of them by a filter.
- bar_log_axis: a bar chart never uses a log axis (a bar's length is its value; on a log axis it is not).
- compare_mixes: an unstacked bar chart sets bars side by side as comparable, so it compares one geography, one
  metric and one unit: each is on its x axis (bars of different ones apart) or pinned to one value (its own `==`
  filter, or a required single-select native filter in its scope); a series name saying "China" is not enough.
- raw_boolean: a table never shows a true/false column as such (it prints `true`/`false`): show words.
- filter_scope: a native filter applies only to charts whose dataset has its column (else Superset drops it), and
  reaches every other chart whose dataset has it; a chart that pins the column to one value may be left out.
  A publisher filter must reach every chart over reports (a report_id or report_ids column): their dataset
  needs the publisher column.
- adds_non_additive: a chart's metric never SUMs or AVGs a column that is not additive. An estimate, a share or
  a growth rate is not: two editions, two reports or two years of it added (or averaged) make a number no report
  states (134.02 + 55.52 = 189.54 US$ bn for two editions of one series). A dataset column is additive only
  where its YAML says so, in the column's `extra`: `{additive: true}` (a count of figures, say); a metric that
  shows one row's value says so by refusing more than one (`CASE WHEN COUNT(*) = 1 THEN MIN(x) END`).
- groups_across_reports: a chart that aggregates a dataset's values over reports (a report_id column) groups by a
  column naming one report edition: one whose `extra` says `{identifies_report: true}` and that the mart serves
  (report_id, report_label: unique by their dbt tests), not one computed in the dataset. Grouping by a label
  several reports share (the publisher, or publisher and base year: every edition of a series has both) puts
  two editions' values in one group.

`problems(bundle)` returns `file:line: [rule] message` lines; tests/unit/test_superset_bundle.py runs it. The two
rules about adding live in bundle_additivity.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

NUMBER_FORMAT = re.compile(r",(\.\d+)?~?f|,d")  # fixed point or integer, thousands separated
YEAR_FORMAT = re.compile(r"d|%Y")
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
REGION_COLUMNS = ("region_name", "region_key")
BASIS_COLUMNS = ("value_kind", "share_basis", "basis")
YEAR_COLUMN = re.compile(r"(^|_)year$")
NUMERIC_TYPES = re.compile(r"INT|FLOAT|DOUBLE|DECIMAL|NUMERIC|REAL|HUGEINT", re.IGNORECASE)
BAR_CHARTS = ("echarts_timeseries_bar", "bar", "dist_bar")
# What one comparison must hold to one value (a column of each group pinned, or on the x axis).
COMPARED_AS_ONE = {
    "geography": REGION_COLUMNS,
    "metric": ("metric_name", "metric", "measure_compared"),
    "unit": ("unit_name", "unit_key", "measure_compared"),
}
PUBLISHER_COLUMNS = ("publisher_label",)
REPORT_COLUMNS = ("report_id", "report_ids")  # a chart over reports, where a publisher is meaningful
TIME_SERIES = ("echarts_timeseries_bar", "echarts_timeseries_line", "echarts_timeseries", "mixed_timeseries", "echarts_area")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _line(path: Path, key: str, value: str | None = None) -> int:
    """The first line of the file that sets `key` (to `value`, when given); 1 when none does."""
    text = path.read_text(encoding="utf-8")
    setting = rf"['\"]?{re.escape(key)}['\"]?:" + (rf" ['\"]?{re.escape(value)}['\"]?$" if value is not None else "")
    match = re.compile(rf"^\s*-?\s*{setting}", re.MULTILINE).search(text)
    return text[: match.start()].count("\n") + 1 if match else 1


class Bundle:
    """The bundle's datasets (by uuid) and charts, as files and their parsed YAML."""

    def __init__(self, root: Path):
        self.root = root
        self.datasets = {}
        for path in sorted((root / "datasets").rglob("*.yaml")):
            data = _load(path)
            self.datasets[data["uuid"]] = (path, data)
        self.charts = [(path, _load(path)) for path in sorted((root / "charts").glob("*.yaml"))]
        self.dashboards = [(path, _load(path)) for path in sorted((root / "dashboards").glob("*.yaml"))]

    def columns(self, chart: dict) -> dict[str, dict]:
        return {c["column_name"]: c for c in self.datasets[chart["dataset_uuid"]][1]["columns"]}

    def metrics(self, chart: dict) -> dict[str, dict]:
        return {m["metric_name"]: m for m in self.datasets[chart["dataset_uuid"]][1]["metrics"]}


def _say(path: Path, line: int, rule: str, message: str) -> str:
    return f"{path}:{line}: [{rule}] {message}"


def _names(value) -> list[str]:
    """Column names a chart parameter refers to (a name, an adhoc column's SQL, or a list of them)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        return re.findall(r"[a-z_][a-z0-9_]*", value.get("sqlExpression") or value.get("column_name") or "")
    return [value]


def _shown_columns(params: dict) -> list[str]:
    return [*_names(params.get("all_columns")), *_names(params.get("groupby")), *_names(params.get("groupby_b"))]


def _filtered_to_one(params: dict, columns: tuple[str, ...]) -> bool:
    filters = [*params.get("adhoc_filters", []), *params.get("adhoc_filters_b", [])]
    return any(f.get("subject") in columns and f.get("operator") == "==" for f in filters)


def _number_formats(path: Path, chart: dict, bundle: Bundle) -> list[str]:
    params, viz, found = chart["params"], chart["viz_type"], []
    if viz in TIME_SERIES:
        keys = ["y_axis_format"] + (["y_axis_format_secondary"] if viz == "mixed_timeseries" else [])
        for key in keys:
            if not NUMBER_FORMAT.fullmatch(str(params.get(key) or "")):
                found.append(
                    _say(path, _line(path, key), "number_format", f"{key} {params.get(key)!r} is not a thousands-separated fixed format")
                )
        if params.get("time_grain_sqla") and (params.get("x_axis_time_format"), params.get("tooltipTimeFormat")) != ("%Y", "%Y"):
            message = "a yearly axis must print years as %Y (axis and tooltip)"
            found.append(_say(path, _line(path, "x_axis_time_format"), "number_format", message))
    elif viz == "table":
        columns, metrics, config = bundle.columns(chart), bundle.metrics(chart), params.get("column_config") or {}
        for name in _names(params.get("all_columns")) + _names(params.get("metrics")):
            column = columns.get(name)
            numeric = name in metrics or (column is not None and NUMERIC_TYPES.search(str(column.get("type") or "")))
            if not numeric:
                continue
            shown = (config.get(name) or {}).get("d3NumberFormat") or ""
            wanted = YEAR_FORMAT if YEAR_COLUMN.search(name) else NUMBER_FORMAT
            if not wanted.fullmatch(shown):
                what = "a year (d)" if wanted is YEAR_FORMAT else "a thousands-separated fixed format"
                message = f"column {name} shows {shown or 'the default'!r}, not {what}"
                found.append(_say(path, _line(path, "column_config"), "number_format", message))
    for name in _names(params.get("metrics")) + _names(params.get("metrics_b")):
        metric = bundle.metrics(chart).get(name)
        if metric and metric.get("d3format") and not NUMBER_FORMAT.fullmatch(metric["d3format"]):
            found.append(f"{path}:{_line(path, 'metrics')}: [number_format] metric {name} formats as {metric['d3format']!r}")
    return found


def _labels(path: Path, chart: dict, bundle: Bundle) -> list[str]:
    params, found = chart["params"], []
    for key in ("x_axis_title", "y_axis_title"):
        if SNAKE.search(str(params.get(key) or "")):
            found.append(f"{path}:{_line(path, key)}: [snake_case_label] {key} {params[key]!r} names a key, not a word")
    if isinstance(params.get("x_axis"), dict) and SNAKE.search(params["x_axis"].get("label", "")):
        found.append(f"{path}:{_line(path, 'x_axis')}: [snake_case_label] the x axis label {params['x_axis']['label']!r} is a key")
    dataset_path = bundle.datasets[chart["dataset_uuid"]][0]
    columns, metrics = bundle.columns(chart), bundle.metrics(chart)
    shown = _shown_columns(params) + ([params["x_axis"]] if isinstance(params.get("x_axis"), str) else [])
    for name in dict.fromkeys(shown):
        label = (columns.get(name) or {}).get("verbose_name")
        if not label or SNAKE.search(label):
            message = f"column {name} (shown by {path.name}) has verbose name {label!r}"
            found.append(_say(dataset_path, _line(dataset_path, "column_name", name), "snake_case_label", message))
    for name in dict.fromkeys(_names(params.get("metrics")) + _names(params.get("metrics_b"))):
        label = (metrics.get(name) or {}).get("verbose_name")
        if not label or SNAKE.search(label):
            message = f"metric {name} (shown by {path.name}) has verbose name {label!r}"
            found.append(_say(dataset_path, _line(dataset_path, "metric_name", name), "snake_case_label", message))
    return found


def _pinned(params: dict) -> set[str]:
    """Columns the chart's own filters hold to one value (`==`)."""
    filters = [*params.get("adhoc_filters", []), *params.get("adhoc_filters_b", [])]
    return {f["subject"] for f in filters if f.get("operator") == "==" and isinstance(f.get("subject"), str)}


def _misleading(path: Path, chart: dict, bundle: Bundle, pinned_by_board: set[str]) -> list[str]:
    params, found, viz = chart["params"], [], chart["viz_type"]
    series = _names(params.get("groupby")) + _names(params.get("groupby_b"))
    if params.get("stack"):
        on_axis = _names(params.get("x_axis"))
        if not any(c in series + on_axis for c in REGION_COLUMNS) or not any(c in series for c in BASIS_COLUMNS):
            found.append(
                f"{path}:{_line(path, 'stack')}: [stack_mixes] a stacked chart must keep geographies apart (a region column on its axis "
                f"or in its series) and name each series' basis (one of {', '.join(BASIS_COLUMNS)} in its series)"
            )
    if viz in BAR_CHARTS and params.get("logAxis"):
        found.append(_say(path, _line(path, "logAxis"), "bar_log_axis", "a bar on a log axis misstates its value by its length"))
    if viz in BAR_CHARTS and not params.get("stack"):
        one = _pinned(params) | pinned_by_board | set(_names(params.get("x_axis")))
        loose = [group for group, columns in COMPARED_AS_ONE.items() if not one & set(columns)]
        if loose:
            message = (
                f"bars side by side compare different {' and '.join(loose)} values: pin each to one (its own == filter or a "
                "required single-select native filter) or put it on the x axis"
            )
            found.append(_say(path, _line(path, "groupby"), "compare_mixes", message))
    if viz == "table":
        columns = bundle.columns(chart)
        for name in _names(params.get("all_columns")) + _names(params.get("groupby")):
            if str((columns.get(name) or {}).get("type") or "").upper().startswith("BOOL"):
                message = f"column {name} is true/false: a table prints `true`/`false`; show it as words (a calculated column)"
                found.append(_say(path, _line(path, "all_columns"), "raw_boolean", message))
    kinds = [c for c in BASIS_COLUMNS if c in bundle.columns(chart)]
    if kinds and not any(c in _shown_columns(params) for c in BASIS_COLUMNS) and not _filtered_to_one(params, BASIS_COLUMNS):
        found.append(
            f"{path}:{_line(path, 'params')}: [reported_not_separated] its dataset has {kinds[0]}: show reported and derived values apart "
            f"(in its series or columns) or filter to one"
        )
    return found


def _alike(column: str) -> set[str]:
    """The columns that say the same thing as `column` (region_name and region_key), itself included."""
    return {column}.union(*(set(columns) for columns in COMPARED_AS_ONE.values() if column in columns))


def _board_charts(board: dict) -> dict[int, str]:
    items = [item for item in board["position"].values() if isinstance(item, dict) and item.get("type") == "CHART"]
    return {item["meta"]["chartId"]: item["meta"]["uuid"] for item in items}


def _board_pins(bundle: Bundle) -> dict[str, set[str]]:
    """Per chart uuid: the columns a required single-select native filter in its scope holds to one value."""
    pins: dict[str, set[str]] = {}
    for _, board in bundle.dashboards:
        for native in board["metadata"].get("native_filter_configuration", []):
            controls = native.get("controlValues") or {}
            if controls.get("multiSelect", True) or not controls.get("enableEmptyFilter"):
                continue
            for chart_id, chart_uuid in _board_charts(board).items():
                if chart_id not in native["scope"]["excluded"]:
                    pins.setdefault(chart_uuid, set()).add(native["targets"][0]["column"]["name"])
    return pins


def _filter_scopes(bundle: Bundle) -> list[str]:
    found = []
    by_uuid = {chart["uuid"]: chart for _, chart in bundle.charts}
    for path, board in bundle.dashboards:
        charts = _board_charts(board)
        for native in board["metadata"].get("native_filter_configuration", []):
            column = native["targets"][0]["column"]["name"]
            where = _line(path, "id", native["id"])
            if SNAKE.search(native["name"]):
                found.append(f"{path}:{where}: [snake_case_label] filter {native['name']!r} is named by a key")
            excluded = set(native["scope"]["excluded"])
            for chart_id, chart_uuid in charts.items():
                chart = by_uuid[chart_uuid]
                has = column in bundle.columns(chart)
                over_reports = column in PUBLISHER_COLUMNS and any(c in bundle.columns(chart) for c in REPORT_COLUMNS)
                if has and chart_id in excluded and _pinned(chart["params"]) & _alike(column):
                    continue  # the chart holds what this column says to one value itself (e.g. region_key == global)
                if not has and over_reports:
                    message = f"{native['name']} cannot reach {chart['slice_name']!r}: its dataset has reports but no {column}"
                    found.append(_say(path, where, "filter_scope", message))
                elif has == (chart_id in excluded):
                    state = "leaves out" if has else "applies to"
                    found.append(_say(path, where, "filter_scope", f"{native['name']} {state} {chart['slice_name']!r}"))
    return found


def problems(root: Path) -> list[str]:
    """Every rule broken by the bundle under `root`, as `file:line: [rule] message`."""
    from serving.superset.bundle_additivity import non_additive  # its rules read this module's Bundle

    bundle = Bundle(root)
    found, pins = [], _board_pins(bundle)
    for path, chart in bundle.charts:
        misleading = _misleading(path, chart, bundle, pins.get(chart["uuid"], set()))
        found += _number_formats(path, chart, bundle) + _labels(path, chart, bundle) + misleading + non_additive(path, chart, bundle)
    return found + _filter_scopes(bundle)
