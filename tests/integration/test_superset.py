"""The Superset bundle shows the served file's numbers: Superset 6.1 (its own environment under build/,
installed by the code `make superset` runs) boots once on a free port with fresh metadata, imports the
bundle, and every chart's data, fetched through Superset's chart-data API with the chart's saved query,
is compared with the same question asked of the served file by the project's DuckDB. The database is
read-only to Superset (a write is refused by Superset and, when Superset is told to allow it, by DuckDB),
and a publish shows on the next chart query without restarting or reconnecting anything."""

from __future__ import annotations

import json
import math
import shutil
import socket
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from marketwh.paths import ProjectPaths
from marketwh.warehouse.publish import publish
from serving.superset import api as superset_api
from serving.superset import run as superset_run
from tests.helpers import stage_candidate

# Each chart's question to the served file, one statement per query of the chart (a mixed chart has two).
# A `series` statement returns (x, series name, value): the chart pivots its rows to one column per series,
# named as its legend; a `rows` statement returns a table's rows, its columns named as the table's.
EXPECTED = {
    "Market value by year, per report (USD bn)": [
        ("series", "select market_date, report_id, market_value from marts.market_size_by_year where unit_key = 'usd_bn'"),
        (
            "series",
            "select market_date, report_id || ', ' || basis, market_value from marts.market_size_by_year"
            " where unit_key = 'usd_bn' and basis = 'reported'",
        ),
    ],
    "Market volume by year, per report (tons)": [
        ("series", "select market_date, report_id, market_volume from marts.market_size_by_year where unit_key = 'tons'"),
        (
            "series",
            "select market_date, report_id || ', ' || basis, market_volume from marts.market_size_by_year"
            " where unit_key = 'tons' and basis = 'reported'",
        ),
    ],
    "Split by type, where stated (share %)": [
        (
            "series",
            "select report_id || ' ' || market_year, segment_name, share_pct from marts.market_by_type_year"
            " where share_basis <> 'not_reported'",
        ),
    ],
    "Split by region, where stated (share %)": [
        (
            "series",
            "select report_id || ' ' || market_year, segment_name, share_pct from marts.market_by_region_year"
            " where share_basis <> 'not_reported'",
        ),
    ],
    "Publishers side by side: global market value (USD bn)": [
        (
            "series",
            "select figure_date, publisher_label || ', ' || estimate_vintage, value from marts.market_estimates_by_report"
            " where metric = 'market_value' and dimension = 'total' and region_key = 'global' and unit_key = 'usd_bn'",
        ),
    ],
    "Where publishers overlap: estimates compared": [
        (
            "rows",
            "select market, metric, segment_key, region_key, figure_year, unit_key, estimates, min_value, max_value,"
            " relative_spread_pct, spread_tolerance_pct, reports_disagree, disagreeing_reports"
            " from marts.market_estimates_compared where comparison_status = 'compared'",
        ),
    ],
    "CAGR check: stated against implied": [
        (
            "rows",
            "select report_id, metric_series, segment_key, stated_cagr_pct, stated_period_start_year, stated_period_end_year,"
            " implied_cagr_pct, implied_cagr_over_stated_period_pct, difference_pp, tolerance_pp, agrees_within_tolerance,"
            " implied_basis, span_note from marts.cagr_check",
        ),
    ],
    "Findings: where a report disagrees with itself": [
        (
            "rows",
            "select severity, status, report_id, rule, subject, stated_value, compared_value, message,"
            " acknowledgement_reason, acknowledged_by, acknowledged_on from marts.report_findings",
        ),
    ],
    "Served build": [("rows", "select built_at, run_id, git_commit, duckdb_version from marts.warehouse_build")],
}
# No report states a regional split with numbers yet: that chart is empty, and says so.
MAY_BE_EMPTY = {"Split by region, where stated (share %)"}
# What decides a chart's query: the saved query (query_context) must have been built from these params.
QUERY_PARAMS = ("x_axis", "time_grain_sqla", "metrics", "metrics_b", "groupby", "groupby_b", "adhoc_filters", "adhoc_filters_b")
QUERY_PARAMS += ("all_columns", "order_by_cols", "query_mode", "row_limit", "row_limit_b")
TEMPORAL = 2  # Superset's GenericDataType.TEMPORAL in a result's coltypes: epoch milliseconds
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(refreshed_project, tmp_path_factory) -> Path:
    """A served path of this module's own, published like a refresh publishes (a link to a named build)."""
    source = tmp_path_factory.mktemp("superset_serve") / "source.duckdb"
    shutil.copyfile(ProjectPaths(refreshed_project).default_served_db, source)
    served = ProjectPaths(source.parent).default_served_db
    served.parent.mkdir()
    publish(stage_candidate(source, served, "superset-first"), served)
    return served


@pytest.fixture(scope="module")
def superset(served, tmp_path_factory):
    """One Superset for the module: fresh metadata, the bundle imported with `served` as its database."""
    try:
        superset_run.ensure_installed()
    except superset_run.SupersetError as error:
        pytest.fail(str(error))
    server = superset_run.Superset(home=tmp_path_factory.mktemp("superset_home"), port=_free_port())
    server.prepare()
    server.start()
    try:
        superset_api.import_bundle(server.client(), served)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def client(superset):
    return superset.client()


@pytest.fixture(scope="module")
def charts(client) -> dict[str, dict]:
    """The bundle's charts as Superset holds them after the import, by name."""
    listed = client.request("GET", "/api/v1/chart/?q=(columns:!(id,uuid,slice_name),page_size:100)")["result"]
    ours = [chart for chart in listed if chart["uuid"] in superset_api.bundle_uuids("charts")]
    by_name = {chart["slice_name"]: chart for chart in ours}
    assert len(by_name) == len(ours) == len(superset_api.bundle_uuids("charts")), "every chart of the bundle, each name once"
    return by_name


def _plain(value, coltype: int | None = None):
    """A cell as comparable text or number: dates and times as ISO text in UTC (Superset sends epoch ms)."""
    if coltype == TEMPORAL and isinstance(value, (int, float)):
        moment = EPOCH + timedelta(microseconds=round(value * 1000))
        return moment.date().isoformat() if moment.time() == datetime.min.time() else moment.isoformat()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _same(left, right) -> bool:
    if isinstance(left, bool) or isinstance(right, bool) or not isinstance(left, (int, float)) or not isinstance(right, (int, float)):
        return left == right
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)


def _assert_cells(shown: dict, expected: dict, what: str) -> None:
    assert shown.keys() == expected.keys(), (
        f"{what}: cells differ: only shown {shown.keys() - expected.keys()}, only in file {expected.keys() - shown.keys()}"
    )
    wrong = {key: (shown[key], expected[key]) for key in expected if not _same(shown[key], expected[key])}
    assert not wrong, f"{what}: (shown, in the served file) differ: {wrong}"


def _series_cells(result: dict) -> dict:
    """A pivoted chart result (x column, then one column per series) as {(x, series): value}, empty cells left out."""
    if not result["data"]:
        return {}
    x, *series = result["colnames"]
    types = dict(zip(result["colnames"], result["coltypes"], strict=True))
    return {(_plain(row[x], types[x]), name): row[name] for row in result["data"] for name in series if row[name] is not None}


def _expected_series(con, sql: str, what: str) -> dict:
    rows = con.execute(sql).fetchall()
    cells = {(_plain(x), str(name)): value for x, name, value in rows if value is not None}
    assert len(cells) == len([r for r in rows if r[2] is not None]), f"{what}: more than one row per cell, the chart would add them up"
    return cells


def _table_rows(result: dict) -> tuple[list[str], list[tuple]]:
    names, types = result["colnames"], result["coltypes"]
    return names, [tuple(_plain(row[n], t) for n, t in zip(names, types, strict=True)) for row in result["data"]]


def _assert_rows(shown: list[tuple], expected: list[tuple], what: str) -> None:
    assert len(shown) == len(expected), f"{what}: {len(shown)} rows shown, {len(expected)} in the served file"

    def key(row: tuple) -> str:  # one order for both sides (a whole number may come as 2025 or 2025.0)
        return json.dumps([float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in row], default=str)

    for got, want in zip(sorted(shown, key=key), sorted(expected, key=key), strict=True):
        assert all(_same(g, w) for g, w in zip(got, want, strict=True)), f"{what}: shown {got}, in the served file {want}"


def _chart_data(client, chart: dict) -> list[dict]:
    """The chart's data through Superset's API, from its saved query (what its dashboard tile asks)."""
    return client.request("GET", f"/api/v1/chart/{chart['id']}/data/?format=json&type=full")["result"]


def test_every_chart_shows_the_numbers_of_the_served_file(client, charts, served):
    assert set(charts) == set(EXPECTED), "a chart of the bundle without its question here, or the reverse"
    with duckdb.connect(str(served), read_only=True) as con:
        for name, questions in EXPECTED.items():
            chart = client.request("GET", f"/api/v1/chart/{charts[name]['id']}")["result"]
            params, saved = json.loads(chart["params"]), json.loads(chart["query_context"] or "null")
            assert saved, f"{name}: no saved query (query_context): save the chart in Superset and export it"
            stale = [key for key in QUERY_PARAMS if key in params and saved["form_data"].get(key) != params[key]]
            assert not stale, f"{name}: its saved query was built from other {stale} than its params: save it in Superset and export"

            results = _chart_data(client, charts[name])
            assert len(results) == len(questions), f"{name}: {len(results)} queries, {len(questions)} expected"
            for number, ((kind, sql), result) in enumerate(zip(questions, results, strict=True)):
                what = f"{name} (query {number})"
                assert result.get("error") is None, f"{what}: {result.get('error')}"
                if kind == "series":
                    _assert_cells(_series_cells(result), _expected_series(con, sql, what), what)
                else:
                    wanted = con.execute(sql)
                    columns = [column[0] for column in wanted.description]
                    expected = [tuple(_plain(v) for v in row) for row in wanted.fetchall()]
                    shown_columns, shown = _table_rows(result)
                    assert shown_columns == columns, what
                    _assert_rows(shown, expected, what)
                assert result["rowcount"] > 0 or name in MAY_BE_EMPTY, f"{what}: no rows"


def test_a_wrong_number_fails_the_comparison():
    """The comparison can fail: one share off by a millionth of a point is caught."""
    shown = {("cncic_china_anode_2022 2021", "Natural graphite"): 14.000001}
    with pytest.raises(AssertionError, match="differ"):
        _assert_cells(shown, {("cncic_china_anode_2022 2021", "Natural graphite"): 14.0}, "type split")


def test_the_warehouse_is_read_only_to_superset(client):
    databases = client.request("GET", "/api/v1/database/?q=(columns:!(id,uuid,database_name))")["result"]
    database = next(d for d in databases if d["uuid"] in superset_api.bundle_uuids("databases"))
    connection = client.request("GET", f"/api/v1/database/{database['id']}/connection")["result"]
    assert connection["sqlalchemy_uri"].endswith("?access_mode=read_only")
    assert connection["allow_dml"] is False

    def write() -> str:
        body = {"database_id": database["id"], "sql": "create table marts.scratch (x integer)", "runAsync": False, "schema": "marts"}
        with pytest.raises(RuntimeError) as refused:
            client.request("POST", "/api/v1/sqllab/execute/", body)
        return str(refused.value)

    # SQL Lab refuses a write to a database without DML ...
    assert "DML_NOT_ALLOWED_ERROR" in write()
    # ... and were it allowed, DuckDB refuses it: the connection itself is read-only.
    client.request("PUT", f"/api/v1/database/{database['id']}", {"allow_dml": True})
    try:
        assert "attached in read-only mode" in write()
    finally:
        client.request("PUT", f"/api/v1/database/{database['id']}", {"allow_dml": False})


def test_a_publish_shows_on_the_next_chart_query(client, charts, served):
    """Superset opens the served file for each query (NullPool, no data cache): no restart, no reconnect."""
    build = charts["Served build"]
    assert _chart_data(client, build)[0]["data"][0]["run_id"] == "superset-first"
    publish(stage_candidate(served.parent.parent / "source.duckdb", served, "superset-second"), served)
    assert _chart_data(client, build)[0]["data"][0]["run_id"] == "superset-second"
