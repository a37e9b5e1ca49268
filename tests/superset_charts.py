"""What each chart of the Superset bundle must show, as the same question asked of the served file, and
how a chart's data (as Superset's chart-data API returns it) is compared with that question's rows.

Every question has a `{market}` condition: `true` for the chart's own saved query, `market_name = '...'`
when the dashboard's market filter is applied, so one list of questions serves both."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta

from serving.superset.api import site_url

SIZE = (
    "select market_date, report_label || ', ' || region_name || ', ' || metric_name || ', ' || {names}{kind},"
    " round(value, value_decimals) from {size} where {quantity} and {{market}}"
)


def _size(quantity: str, names: str = "unit_name") -> list[tuple[str, str]]:
    """The line through every value (query 0) and the dots, one series per reported or derived (query 1)."""
    return [
        ("series", SIZE.format(names=names, kind="", quantity=quantity, size=SIZE_DATASET)),
        ("series", SIZE.format(names=names, kind=" || ', ' || value_kind", quantity=quantity, size=SIZE_DATASET)),
    ]


def _site(page: str, key: str, text: str | None = None) -> str:
    """The link to a report-site page as the bundle's SQL builds it (MARKETWH_SITE_URL, else `make site`'s address):
    the address, or an HTML anchor saying `text` (the tables render it as a link)."""
    if text is None:
        return f"'{site_url()}{page}/' || {key} || '.html'"
    return f"'<a href=\"{site_url()}{page}/' || {key} || '.html\">{text}</a>'"


VINTAGE = "case when t.is_forecast then 'forecast' else 'actual' end as estimate_vintage"
# The datasets as Superset reads them: the mart, the columns their SQL joins in, their calculated columns.
PUBLISHER = "left join marts.reports as r on r.report_id = t.report_id"
SIZE_DATASET = f"(select t.*, r.report_label, {VINTAGE} from marts.market_size_by_year as t {PUBLISHER})"
SEGMENT = "left join seeds.segments as s on s.dimension = t.dimension and s.segment_key = t.segment_key"
# One row per compared year and report: the comparison beside the report's own estimate and scope.
OVERLAP_DATASET = (
    "(select t.*, s.display_name as segment_name, u.display_name as unit_name, r.publisher_label,"
    " r.report_label,"
    " round(e.value, e.value_decimals) as estimate_shown, e.value_kind, e.estimate_vintage,"
    " coalesce(r.scope_quote, 'scope not stated') as report_scope from marts.market_estimates_compared as t"
    " inner join marts.reports as r on position(',' || r.report_id || ',' in ',' || t.report_ids || ',') > 0"
    " left join marts.market_estimates_by_report as e on e.report_id = r.report_id and e.market_key = t.market_key"
    " and e.metric = t.metric and e.dimension = t.dimension and e.segment_key = t.segment_key and e.region_key = t.region_key"
    f" and e.figure_year = t.figure_year and e.unit_key = t.unit_key {SEGMENT} left join seeds.units as u on u.unit_key = t.unit_key)"
)

# The consensus of the global total, as the consensus datasets read it (the measure the filter bar chooses).
GLOBAL_TOTAL = "dimension = 'total' and region_key = 'global'"


def _held(side: str) -> str:
    """The decimals the estimate holding the low (high) is printed with: the counted estimate of that value."""
    columns = ("market_key", "metric", "dimension", "segment_key", "region_key", "figure_year", "unit_key")
    key = " and ".join(f"e.{c} = t.{c}" for c in columns)
    return (
        f"coalesce((select max(e.value_decimals) from marts.market_estimates_by_report as e where {key} and e.value = t.{side}_value"
        f" and position(',' || e.report_id || ',' in ',' || t.report_ids || ',') > 0), t.value_decimals)"
    )


CONSENSUS = (
    f"(select t.*, t.metric_name || ', ' || t.unit_name as measure_compared, {_held('low')} as low_decimals,"
    f" {_held('high')} as high_decimals from marts.market_consensus{{}} as t)"
)
MOVED_BY = (
    "(select string_agg(r.report_label, '; ' order by r.report_label) from marts.reports as r"
    " where position(',' || r.report_id || ',' in ',' || t.moved_by_report_ids || ',') > 0)"
)


def _words(column: str, unknown: str) -> str:
    """A true/false column as the dashboard prints it."""
    return f"case when {column} then 'yes' when not {column} then 'no' else '{unknown}' end"


# Each chart's question, one statement per query of the chart (a mixed chart has two). A `series`
# statement returns (x, series name, value): the chart pivots its rows to one column per series, named
# as its legend (its group-by values joined by ", "); a `rows` statement returns a table's rows. Values
# are the ones the chart shows: rounded to the decimals the marts give them (the full value stays in the mart).
EXPECTED = {
    "Market size by year, per report: money": _size("quantity = 'money'"),
    "Market size by year, per report: mass": _size("quantity = 'mass'"),
    "Market size by year, per report: energy": _size("quantity = 'energy'"),
    "Market size by year, per report: other quantities": _size(
        "quantity not in ('money', 'mass', 'energy')", "quantity_name || ', ' || unit_name"
    ),
    "Splits where stated: one bar per report, region and year (share %)": [
        (
            "series",
            "select concat(dimension_name, ': ', report_label, ', ', region_name, ', ', market_year),"
            " segment_name || ', ' || share_basis, round(share_pct, share_decimals)"
            f" from (select t.*, r.publisher_label, r.report_label, {VINTAGE}, t.share_basis as value_kind"
            f" from marts.market_splits as t {PUBLISHER})"
            " where share_basis <> 'not_reported' and {market}",
        ),
    ],
    "Publishers side by side: global market totals, one measure at a time": [
        (
            "series",
            "select figure_date,"
            " report_label || ', ' || estimate_vintage || ', ' || value_kind || ', ' || metric_name || ', ' || unit_name,"
            " round(value, value_decimals)"
            " from (select t.*, t.metric_name || ', ' || t.unit_name as measure_compared from marts.market_estimates_by_report as t)"
            " where metric_kind = 'level' and dimension = 'total' and region_key = 'global' and {market}",
        ),
    ],
    # One value per year and line, where the chart's year holds one consensus row (else empty: never averaged).
    "Consensus by year: the publishers' median, lowest and highest global total": [
        (
            "series",
            "select figure_date, shown, case when count(*) = 1 then min(value) end from (select figure_date,"
            " unnest(['consensus_low', 'consensus_median', 'consensus_high']) as shown, unnest([round(low_value, low_decimals),"
            f" round(median_value, value_decimals), round(high_value, high_decimals)]) as value from {CONSENSUS.format('')}"
            f" where {GLOBAL_TOTAL} and {{market}}) group by figure_date, shown",
        ),
    ],
    "How the consensus moved: each year's median as each report arrived": [
        (
            "rows",
            f"select figure_year, as_of_date, {MOVED_BY} as moved_by, publisher_count, round(median_value, value_decimals) as median_shown,"
            " case when median_change is null then 'first estimate' else concat(case when median_change > 0 then '+' else '' end,"
            " round(median_change, value_decimals), ' (', case when median_change_pct > 0 then '+' else '' end,"
            " round(median_change_pct, 1), ' %)') end as median_change_shown, round(low_value, low_decimals) as low_shown, low_held_by,"
            " round(high_value, high_decimals) as high_shown, high_held_by, unit_name"
            f" from {CONSENSUS.format('_history')} as t where {GLOBAL_TOTAL} and {{market}}",
        ),
    ],
    "Where publishers overlap: each report's estimate against the others": [
        (
            "rows",
            "select figure_year, metric_name, segment_name, region_name, unit_name, report_label, estimate_shown, value_kind,"
            " estimate_vintage, round(min_value, value_decimals) as lowest_shown, round(max_value, value_decimals) as highest_shown,"
            " round(relative_spread_pct, 1) as spread_shown, spread_tolerance_pct,"
            f" {_words('reports_disagree', 'not compared')} as disagree_shown,"
            " case when forecast_count = 0 then 'actuals only' when forecast_count = report_count then 'forecasts only'"
            " else 'actuals against forecasts' end as vintages,"
            " case when not scopes_differ then 'no' when scopes like '%: scope not stated%'"
            " then 'not known: a report states no scope' when scopes_differ then 'yes' else 'not known' end as scopes_differ_shown"
            f" from {OVERLAP_DATASET} where comparison_status = 'compared' and {{market}}",
        ),
    ],
    "CAGR check: stated against implied": [
        (
            "rows",
            "select report_label, segment_name, coalesce(cast(stated_cagr_pct as varchar), 'none stated') as stated_shown,"
            " coalesce(cast(stated_period_start_year as varchar) || '–' || cast(stated_period_end_year as varchar), '—')"
            " as stated_period_shown, coalesce(cast(round(implied_cagr_pct, 1) as varchar), 'not computable') as implied_shown,"
            " coalesce(cast(round(implied_cagr_over_stated_period_pct, 1) as varchar), '—') as implied_over_stated_shown,"
            " coalesce(cast(round(difference_pp, 1) as varchar), '—') as difference_shown,"
            " case when agrees_within_tolerance is null then '—' else cast(tolerance_pp as varchar) end as tolerance_shown,"
            f" {_words('agrees_within_tolerance', 'not compared')} as agrees_shown, span_note"
            f" from (select t.*, r.publisher_label, r.report_label, s.display_name as segment_name from marts.cagr_check as t"
            f" {PUBLISHER} {SEGMENT})"
            " where {market}",
        ),
    ],
    "Findings: where a report disagrees with itself": [
        (
            "rows",
            "select report_label, severity, status, finding_text, coalesce(acknowledgement_reason, '—') as acknowledgement_shown"
            f" from (select t.*, r.publisher_label, r.report_label from marts.report_findings as t {PUBLISHER}) where {{market}}",
        ),
    ],
    "Served build": [("rows", "select built_at, run_id, git_commit, duckdb_version from marts.warehouse_build where {market}")],
    "Where each number comes from: figures, quotes and documents": [
        (
            "rows",
            "select report_label, metric_name, region_name, coalesce(cast(figure_year as varchar),"
            " cast(period_start_year as varchar) || '–' || cast(period_end_year as varchar), '—') as figure_year_shown, value_as_published,"
            " round(value, value_decimals) as value_shown, value_kind, quote, section,"
            f" {_site('documents', 'report_id', 'stored document')} as document_link"
            f" from (select t.*, r.publisher_label, r.report_label, t.basis as value_kind from marts.figure_sources as t {PUBLISHER})"
            " where {market}",
        ),
    ],
    "Reports and their pages on the report site": [
        (
            "rows",
            "select report_label, report_title, coalesce(date_published_printed, 'not stated') as published_shown,"
            " coalesce(cast(base_year as varchar), 'not stated') as base_year_shown,"
            " coalesce(scope_quote, 'scope not stated') as scope_shown,"
            f" {_site('reports', 'report_id', 'figures and quotes')} as report_page,"
            f" {_site('markets', 'market_key', 'estimates of every publisher')} as market_page,"
            f" {_site('documents', 'report_id', 'stored document')} as document_page"
            " from marts.reports where {market}",
        ),
    ],
}
# What decides a chart's query: the saved query (query_context) must have been built from these params.
QUERY_PARAMS = ("x_axis", "time_grain_sqla", "metrics", "metrics_b", "groupby", "groupby_b", "adhoc_filters", "adhoc_filters_b")
QUERY_PARAMS += ("all_columns", "order_by_cols", "query_mode", "row_limit", "row_limit_b")
TEMPORAL = 2  # Superset's GenericDataType.TEMPORAL in a result's coltypes: epoch milliseconds
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def question(sql: str, market: str | None, chosen: dict[str, str] | None = None) -> str:
    """The statement for all markets (None) or for the one the dashboard's filter chose, and for the value
    each other native filter chose (`chosen`: its column -> value)."""
    conditions = {} if market is None else {"market_name": market}
    conditions |= chosen or {}
    where = " and ".join("{} = '{}'".format(column, value.replace("'", "''")) for column, value in conditions.items())
    return sql.format(market=where or "true")


def plain(value, coltype: int | None = None):
    """A cell as comparable text or number: dates and times as ISO text in UTC (Superset sends epoch ms)."""
    if coltype == TEMPORAL and isinstance(value, (int, float)):
        moment = EPOCH + timedelta(microseconds=round(value * 1000))
        return moment.date().isoformat() if moment.time() == datetime.min.time() else moment.isoformat()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def same(left, right) -> bool:
    if isinstance(left, bool) or isinstance(right, bool) or not isinstance(left, (int, float)) or not isinstance(right, (int, float)):
        return left == right
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)


def assert_cells(shown: dict, expected: dict, what: str) -> None:
    assert shown.keys() == expected.keys(), (
        f"{what}: cells differ: only shown {shown.keys() - expected.keys()}, only in file {expected.keys() - shown.keys()}"
    )
    wrong = {key: (shown[key], expected[key]) for key in expected if not same(shown[key], expected[key])}
    assert not wrong, f"{what}: (shown, in the served file) differ: {wrong}"


def series_cells(result: dict) -> dict:
    """A pivoted chart result (x column, then one column per series) as {(x, series): value}, empty cells left out."""
    if not result["data"]:
        return {}
    x, *series = result["colnames"]
    types = dict(zip(result["colnames"], result["coltypes"], strict=True))
    return {(plain(row[x], types[x]), name): row[name] for row in result["data"] for name in series if row[name] is not None}


def expected_series(con, sql: str, what: str) -> dict:
    rows = con.execute(sql).fetchall()
    cells = {(plain(x), str(name)): value for x, name, value in rows if value is not None}
    assert len(cells) == len([r for r in rows if r[2] is not None]), f"{what}: more than one row per cell, the chart would add them up"
    return cells


def table_rows(result: dict) -> tuple[list[str], list[tuple]]:
    names, types = result["colnames"], result["coltypes"]
    return names, [tuple(plain(row[n], t) for n, t in zip(names, types, strict=True)) for row in result["data"]]


def assert_rows(shown: list[tuple], expected: list[tuple], what: str) -> None:
    assert len(shown) == len(expected), f"{what}: {len(shown)} rows shown, {len(expected)} in the served file"

    def key(row: tuple) -> str:  # one order for both sides (a whole number may come as 2025 or 2025.0)
        return json.dumps([float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in row], default=str)

    for got, want in zip(sorted(shown, key=key), sorted(expected, key=key), strict=True):
        assert all(same(g, w) for g, w in zip(got, want, strict=True)), f"{what}: shown {got}, in the served file {want}"


def assert_shows(con, results: list[dict], questions: list[tuple[str, str]], market: str | None, what: str, chosen=None) -> int:
    """Each query's result equals its question's rows for `market` (and the other filters' `chosen` values);
    returns the number of rows shown."""
    assert len(results) == len(questions), f"{what}: {len(results)} queries, {len(questions)} expected"
    shown = 0
    for number, ((kind, sql), result) in enumerate(zip(questions, results, strict=True)):
        where = f"{what} (query {number}, market {market or 'all'})"
        assert result.get("error") is None, f"{where}: {result.get('error')}"
        assert not result.get("rejected_filters"), f"{where}: filters not applied: {result['rejected_filters']}"
        if kind == "series":
            assert_cells(series_cells(result), expected_series(con, question(sql, market, chosen), where), where)
        else:
            wanted = con.execute(question(sql, market, chosen))
            columns = [column[0] for column in wanted.description]
            expected = [tuple(plain(v) for v in row) for row in wanted.fetchall()]
            shown_columns, rows = table_rows(result)
            assert shown_columns == columns, where
            assert_rows(rows, expected, where)
        shown += result["rowcount"]
    return shown
