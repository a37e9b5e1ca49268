"""The exported Superset bundle keeps the dashboard's reading rules (serving/superset/bundle_checks.py), read
from its YAML alone: number formats as sources print them, words instead of keys, no stack across
geographies or bases, reported apart from derived, filters only where their column is (and the publisher
filter on every chart over reports), no bar on a log axis, no bars of different geographies, metrics or
units side by side, no true/false printed raw, no estimate added up across editions, reports or years.
Each rule is shown to fail on a copy of the bundle broken the way the dashboard was found (2.5e+6 on an
axis, `usd_bn` as a header, China shipment shares stacked on global value shares, stated and derived bars
alike, IEA's China bar beside global bars on a log axis, `true` in a table, findings the publisher filter
could not reach, two editions of one series summed into one bar by a label they share, a consensus summed or
drawn over every region)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from serving.superset.bundle_checks import problems

BUNDLE = Path(__file__).resolve().parents[2] / "serving" / "superset"
MONEY = "charts/Market_size_by_year_per_report_money.yaml"
SPLITS = "charts/Splits_where_stated_one_bar_per_report_region_and_year_share.yaml"
OVERLAP = "charts/Where_publishers_overlap_each_reports_estimate_against_the_others.yaml"
SIDE_BY_SIDE = "charts/Publishers_side_by_side_global_market_totals_one_measure_at_a_time.yaml"
FINDINGS = "datasets/marketwh_warehouse_read-only/report_findings.yaml"
SIZE = "datasets/marketwh_warehouse_read-only/market_size_by_year.yaml"
BOARD = "dashboards/Market_intelligence.yaml"
ESTIMATES = "datasets/marketwh_warehouse_read-only/market_estimates_by_report.yaml"
CONSENSUS = "datasets/marketwh_warehouse_read-only/market_consensus.yaml"
CONSENSUS_BY_YEAR = "charts/Consensus_by_year_the_publishers_median_lowest_and_highest_global_total.yaml"
# The side-by-side chart as it was: a sum per label of publisher and base year, which both editions of a
# revised report share (26.88 and 13.90 would show as 40.78, 134.02 and 55.52 as 189.54 US$ bn).
OLD_METRIC = "SUM(ROUND(value, value_decimals))"
OLD_LABEL = "publisher_label || coalesce(' (base year ' || cast(report_base_year as varchar) || ')', '')"


def test_the_bundle_keeps_every_rule():
    assert problems(BUNDLE) == []


def _edit(root: Path, relative: str, change) -> None:
    path = root / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _column(data: dict, name: str) -> dict:
    return next(c for c in data["columns"] if c["column_name"] == name)


def _drop_basis(chart: dict) -> None:
    chart["params"]["groupby_b"] = [c for c in chart["params"]["groupby_b"] if c != "value_kind"]


def _unpin_geography(chart: dict) -> None:
    chart["params"]["adhoc_filters"] = [f for f in chart["params"]["adhoc_filters"] if f["subject"] != "region_key"]
    chart["params"]["groupby"].append("region_name")  # the legend names each region: still not one geography


def _unpin_region(chart: dict) -> None:
    chart["params"]["adhoc_filters"] = [f for f in chart["params"]["adhoc_filters"] if f["subject"] != "region_key"]


def _measure_filter_multiple(board: dict) -> None:
    measure = next(f for f in board["metadata"]["native_filter_configuration"] if f["targets"][0]["column"]["name"] == "measure_compared")
    measure["controlValues"]["multiSelect"] = True


def _show_raw(chart: dict) -> None:
    columns = chart["params"]["all_columns"]
    columns[columns.index("disagree_shown")] = "reports_disagree"


def _findings_without_publisher(dataset: dict) -> None:
    dataset["columns"] = [c for c in dataset["columns"] if c["column_name"] != "publisher_label"]


def _metric(data: dict, name: str) -> dict:
    return next(m for m in data["metrics"] if m["metric_name"] == name)


def _by_publisher(chart: dict, key: str = "groupby") -> None:
    chart["params"][key] = ["publisher_label" if c == "report_label" else c for c in chart["params"][key]]


def _adhoc_sum(chart: dict, aggregate: str = "SUM") -> None:
    column = {"column_name": "value", "type": "FLOAT"}
    chart["params"]["metrics"] = [{"expressionType": "SIMPLE", "aggregate": aggregate, "column": column, "label": "Estimate"}]


def _label_of_publisher_and_base_year(dataset: dict) -> None:
    _column(dataset, "report_label")["expression"] = OLD_LABEL  # still declared to name one edition: it does not


def _scope_everything(board: dict) -> None:
    for native in board["metadata"]["native_filter_configuration"]:
        native["scope"]["excluded"] = []


BROKEN = {
    "scientific axis": (MONEY, lambda c: c["params"].update(y_axis_format=",.4~g"), "number_format", MONEY),
    "default axis format": (MONEY, lambda c: c["params"].pop("y_axis_format"), "number_format", MONEY),
    "SI prefixes": (MONEY, lambda c: c["params"].update(y_axis_format_secondary=".3s"), "number_format", MONEY),
    "year as a quantity": (
        OVERLAP,
        lambda c: c["params"]["column_config"].update(figure_year={"d3NumberFormat": ",d"}),
        "number_format",
        OVERLAP,
    ),
    "table number left to the default": (OVERLAP, lambda c: c["params"]["column_config"].pop("lowest_shown"), "number_format", OVERLAP),
    "years on the axis as dates": (MONEY, lambda c: c["params"].update(x_axis_time_format="smart_date"), "number_format", MONEY),
    "snake_case axis title": (MONEY, lambda c: c["params"].update(y_axis_title="value (usd_bn)"), "snake_case_label", MONEY),
    "snake_case column label": (SIZE, lambda d: _column(d, "unit_name").update(verbose_name="unit_name"), "snake_case_label", SIZE),
    "column without a label": (SIZE, lambda d: _column(d, "region_name").update(verbose_name=None), "snake_case_label", SIZE),
    "snake_case metric label": (SIZE, lambda d: d["metrics"][0].update(verbose_name="value_total"), "snake_case_label", SIZE),
    "stack across regions": (
        SPLITS,
        lambda c: c["params"]["x_axis"].update(sqlExpression="concat(dimension_name, market_year)"),
        "stack_mixes",
        SPLITS,
    ),
    "stack across bases": (SPLITS, lambda c: c["params"].update(groupby=["segment_name"]), "stack_mixes", SPLITS),
    "reported and derived alike": (MONEY, _drop_basis, "reported_not_separated", MONEY),
    "filter on charts without its column": (BOARD, _scope_everything, "filter_scope", BOARD),
    "bars on a log axis": (SIDE_BY_SIDE, lambda c: c["params"].update(logAxis=True), "bar_log_axis", SIDE_BY_SIDE),
    "bars of different geographies side by side": (SIDE_BY_SIDE, _unpin_geography, "compare_mixes", (SIDE_BY_SIDE, BOARD)),
    "bars of different units side by side": (BOARD, _measure_filter_multiple, "compare_mixes", SIDE_BY_SIDE),
    "true/false printed raw": (OVERLAP, _show_raw, "raw_boolean", OVERLAP),
    "publisher filter cannot reach the findings": (FINDINGS, _findings_without_publisher, "filter_scope", (BOARD, FINDINGS)),
    "estimates summed by the dataset's metric": (
        ESTIMATES,
        lambda d: _metric(d, "estimate_as_printed").update(expression=OLD_METRIC),
        "adds_non_additive",
        ESTIMATES,
    ),
    "estimates summed by the chart's own metric": (SIDE_BY_SIDE, _adhoc_sum, "adds_non_additive", SIDE_BY_SIDE),
    "estimates averaged": (SIDE_BY_SIDE, lambda c: _adhoc_sum(c, "AVG"), "adds_non_additive", SIDE_BY_SIDE),
    "shares summed": (
        "datasets/marketwh_warehouse_read-only/market_splits.yaml",
        lambda d: _metric(d, "share_as_printed").update(expression="SUM(ROUND(share_pct, share_decimals))"),
        "adds_non_additive",
        "datasets/marketwh_warehouse_read-only/market_splits.yaml",
    ),
    "consensus medians summed": (
        CONSENSUS,
        lambda d: _metric(d, "consensus_median").update(expression="SUM(ROUND(median_value, value_decimals))"),
        "adds_non_additive",
        CONSENSUS,
    ),
    "consensus of every region, out of the region filter": (CONSENSUS_BY_YEAR, _unpin_region, "filter_scope", BOARD),
    "bars grouped by publisher": (SIDE_BY_SIDE, _by_publisher, "groups_across_reports", SIDE_BY_SIDE),
    "lines grouped by publisher": (MONEY, lambda c: _by_publisher(c, "groupby_b"), "groups_across_reports", MONEY),
    "split bars by publisher": (
        SPLITS,
        lambda c: c["params"]["x_axis"].update(sqlExpression="concat(dimension_name, publisher_label, region_name, market_year)"),
        "groups_across_reports",
        SPLITS,
    ),
    "a shared label declared as the edition": (ESTIMATES, _label_of_publisher_and_base_year, "groups_across_reports", SIDE_BY_SIDE),
    "a shared label made in the dataset's SQL": (
        "datasets/marketwh_warehouse_read-only/market_splits.yaml",
        lambda d: d.update(sql=d["sql"].replace("r.report_label,", "r.publisher_label as report_label,")),
        "groups_across_reports",
        SPLITS,
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_bundle_is_refused_with_file_line_and_rule(case, tmp_path):
    relative, change, rule, where = BROKEN[case]
    root = tmp_path / "superset"
    shutil.copytree(BUNDLE, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    _edit(root, relative, change)
    found = problems(root)
    assert found, f"{case}: not refused"
    assert any(f"[{rule}]" in line for line in found), found
    places = tuple(f"{root / path}:" for path in ((where,) if isinstance(where, str) else where))
    assert all(line.startswith(places) and line.split(":")[1].isdigit() for line in found), found


def test_the_old_side_by_side_chart_is_refused_and_an_additive_column_may_be_summed(tmp_path):
    """The chart as it was (a SUM per publisher and base year) breaks both rules; once the dataset declares
    the summed column additive, the sum itself is no longer refused (the declaration is what the rule reads)."""
    root = tmp_path / "superset"
    shutil.copytree(BUNDLE, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))

    def as_it_was(dataset: dict) -> None:
        _metric(dataset, "estimate_as_printed").update(expression=OLD_METRIC)
        _column(dataset, "report_label").update(expression=OLD_LABEL, extra={})
        _column(dataset, "report_id").update(extra={})

    _edit(root, ESTIMATES, as_it_was)
    found = problems(root)
    assert {line.split("[")[1].split("]")[0] for line in found} == {"adds_non_additive", "groups_across_reports"}, found
    assert any(line.startswith(f"{root / ESTIMATES}:") and "estimate_as_printed" in line for line in found), found
    assert any(line.startswith(f"{root / SIDE_BY_SIDE}:") and "[groups_across_reports]" in line for line in found), found

    _edit(root, ESTIMATES, lambda d: [_column(d, name).update(extra={"additive": True}) for name in ("value", "value_decimals")])
    assert not any("[adds_non_additive]" in line for line in problems(root))


def test_the_report_site_address_is_configurable_and_checked(monkeypatch, tmp_path):
    """The bundle's links name `make site`'s address; MARKETWH_SITE_URL replaces it in what is imported."""
    from serving.superset import api

    default = api.bundle_zip(tmp_path / "warehouse.duckdb")
    assert api.DEFAULT_SITE_URL.encode() in default
    monkeypatch.setenv(api.SITE_URL_ENV, "https://reports.example.org/marketwh")
    moved = api.bundle_zip(tmp_path / "warehouse.duckdb")
    assert api.DEFAULT_SITE_URL.encode() not in moved
    assert moved.count(b"https://reports.example.org/marketwh/") == default.count(api.DEFAULT_SITE_URL.encode())
    monkeypatch.setenv(api.SITE_URL_ENV, "https://x.org/' or 1=1 --")
    with pytest.raises(ValueError, match="MARKETWH_SITE_URL"):
        api.site_url()


def test_the_login_hint_says_where_the_password_comes_from(monkeypatch, tmp_path):
    from serving.superset import run

    monkeypatch.delenv(run.PASSWORD_ENV, raising=False)
    generated = run.Superset(home=tmp_path)
    assert generated.admin_password() in generated.login_hint() and str(tmp_path / "admin_password") in generated.login_hint()
    monkeypatch.setenv(run.PASSWORD_ENV, "chosen-by-a-person")
    assert generated.admin_password() == "chosen-by-a-person"
    assert "chosen-by-a-person" not in generated.login_hint() and run.PASSWORD_ENV in generated.login_hint()
