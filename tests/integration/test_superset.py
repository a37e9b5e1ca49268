"""The Superset bundle shows the served file's numbers, one market at a time: Superset 6.1 (its own
environment under build/, installed by the code `make superset` runs) boots once on a free port with fresh
metadata and imports the bundle over a served file of this module's own, refreshed from the fixture project
with two more markets of other quantities (tests/more_markets.py: GWh and GW, yuan and kilotons) and two
editions of one publisher's anode report (tests/integration/test_two_editions_of_a_series.py). Every
chart's data, fetched through Superset's chart-data API with the chart's saved query, is compared with the
same question asked of the served file by the project's DuckDB: for all markets, and for each market with
the dashboard's native market filter applied as the dashboard applies it, so each market shows only its
own rows in its own units, and with each other native filter (region, publisher, reported or derived,
actual or forecast) applied to the charts whose dataset has its column. The database is read-only to
Superset (a write is refused by Superset and, when Superset is told to allow it, by DuckDB), a publish
shows on the next chart query without restarting or reconnecting anything, and a revised report shows
each edition with its own values, never their sum."""

from __future__ import annotations

import json
import math
import shutil
import socket
from pathlib import Path

import duckdb
import pytest

from marketwh.paths import ProjectPaths
from marketwh.warehouse.publish import publish
from serving.superset import api as superset_api
from serving.superset import run as superset_run
from tests.helpers import copy_project, run_marketwh, stage_candidate
from tests.integration.test_two_editions_of_a_series import NEWER, OLDER, add_edition
from tests.more_markets import MARKET_NAMES, STORAGE, add_markets
from tests.superset_charts import EXPECTED, QUERY_PARAMS, assert_cells, assert_shows, series_cells
from tests.superset_consensus import CONSENSUS_BY_YEAR, CONSENSUS_MOVED, assert_one_voice_per_series

DASHBOARD = "market-intelligence"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:
    """A served path of this module's own, published like a refresh publishes (a link to a named build),
    from one refresh of the fixture project with two more markets (tests/more_markets.py) and two editions
    of one series (the newer written first: nothing may order them by the seed file)."""
    folder = tmp_path_factory.mktemp("superset_serve")
    root = add_markets(copy_project(folder / "project"))
    add_edition(root, NEWER)
    add_edition(root, OLDER)
    refreshed = run_marketwh(root, "refresh")
    assert refreshed.returncode == 0, refreshed.stdout[-3000:] + refreshed.stderr[-3000:]
    source = folder / "source.duckdb"
    shutil.copyfile(ProjectPaths(root).default_served_db, source)
    served = ProjectPaths(folder).default_served_db
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
    """The bundle's charts as Superset holds them after the import, by name, each with its saved query."""
    listed = client.request("GET", "/api/v1/chart/?q=(columns:!(id,uuid,slice_name),page_size:100)")["result"]
    ours = [chart for chart in listed if chart["uuid"] in superset_api.bundle_uuids("charts")]
    by_name = {chart["slice_name"]: client.request("GET", f"/api/v1/chart/{chart['id']}")["result"] | chart for chart in ours}
    assert len(by_name) == len(ours) == len(superset_api.bundle_uuids("charts")), "every chart of the bundle, each name once"
    return by_name


@pytest.fixture(scope="module")
def market_filter(client, charts) -> dict:
    """The dashboard's native market filter, as Superset holds it after the import."""
    board = client.request("GET", f"/api/v1/dashboard/{DASHBOARD}")["result"]
    filters = json.loads(board["json_metadata"])["native_filter_configuration"]
    markets = [f for f in filters if f["filterType"] == "filter_select" and f["targets"][0]["column"]["name"] == "market_name"]
    assert len(markets) == 1, f"one native filter on market_name, found {filters}"
    on_board = {chart["slice_name"] for chart in client.request("GET", f"/api/v1/dashboard/{DASHBOARD}/charts")["result"]}
    assert on_board == set(charts), "every chart of the bundle is on the dashboard"
    return markets[0]


def _chart_data(client, chart: dict, market_filter: dict | None = None, market: str | None = None, **chosen: str) -> list[dict]:
    """The chart's data through Superset's API from its saved query (what its dashboard tile asks), with
    the market filter's choice (and other filters' `chosen` column -> value) added to every query as the
    dashboard adds it (its extra form data)."""
    if market is None:
        return client.request("GET", f"/api/v1/chart/{chart['id']}/data/?format=json&type=full")["result"]
    context = json.loads(chart["query_context"])
    choices = {market_filter["targets"][0]["column"]["name"]: market} | chosen
    for query in context["queries"]:
        query["filters"] = [*query.get("filters", []), *({"col": c, "op": "IN", "val": [v]} for c, v in choices.items())]
    return client.request("POST", "/api/v1/chart/data", context)["result"]


def test_every_chart_shows_the_numbers_of_the_served_file(charts, client, served):
    assert set(charts) == set(EXPECTED), "a chart of the bundle without its question here, or the reverse"
    with duckdb.connect(str(served), read_only=True) as con:
        for name, questions in EXPECTED.items():
            chart = charts[name]
            params, saved = json.loads(chart["params"]), json.loads(chart["query_context"] or "null")
            assert saved, f"{name}: no saved query (query_context): save the chart in Superset and export it"
            stale = [key for key in QUERY_PARAMS if key in params and saved["form_data"].get(key) != params[key]]
            assert not stale, f"{name}: its saved query was built from other {stale} than its params: save it in Superset and export"
            assert assert_shows(con, _chart_data(client, chart), questions, None, name) > 0, f"{name}: no rows"


def test_the_market_filter_shows_each_market_alone_in_its_units(charts, client, served, market_filter):
    controls = market_filter["controlValues"]
    assert (controls["multiSelect"], controls["enableEmptyFilter"], controls["defaultToFirstItem"]) == (False, True, True), (
        "one market at a time, always one chosen"
    )
    out_of_scope = {name for name, chart in charts.items() if chart["id"] in market_filter["scope"]["excluded"]}
    assert out_of_scope == {"Served build"}, "the filter applies to every chart that has a market"
    with duckdb.connect(str(served), read_only=True) as con:
        markets = [name for (name,) in con.execute("select distinct market_name from marts.reports order by 1").fetchall()]
        options = client.request("POST", "/api/v1/chart/data", _filter_options(market_filter))["result"][0]["data"]
        assert sorted(row["market_name"] for row in options) == markets, "the filter offers every served market"
        assert len(markets) >= 3
        units = {}
        for market in markets:
            for name in set(EXPECTED) - out_of_scope:
                assert_shows(con, _chart_data(client, charts[name], market_filter, market), EXPECTED[name], market, name)
            for quantity in ("money", "mass", "energy"):
                chart = charts[f"Market size by year, per report: {quantity}"]
                result = _chart_data(client, chart, market_filter, market)[0]  # pivoted: x, then a column per series
                units[market, quantity] = {series.rsplit(", ", 1)[1] for series in result["colnames"][1:]} if result["data"] else set()
        wanted = con.execute("select distinct market_name, quantity, unit_name from marts.market_size_by_year").fetchall()
    # each market's chart of a quantity names that market's units of it, and only those
    assert {key: shown for key, shown in units.items() if shown} == {
        key: {unit for market, quantity, unit in wanted if (market, quantity) == key}
        for key in {(m, q) for m, q, _ in wanted}
        if key[1] in ("money", "mass", "energy")
    }
    assert {quantity for (market, quantity), shown in units.items() if shown and market == MARKET_NAMES[STORAGE.market]} == {"energy"}


def test_every_other_filter_keeps_its_charts_to_its_choice(charts, client, served, market_filter):
    """Region, publisher, reported or derived, actual or forecast: each applies to every chart whose dataset
    has its column (and to no other), and such a chart then shows exactly the rows of that choice."""
    board = client.request("GET", f"/api/v1/dashboard/{DASHBOARD}")["result"]
    others = [f for f in json.loads(board["json_metadata"])["native_filter_configuration"] if f["id"] != market_filter["id"]]
    columns = {f["targets"][0]["column"]["name"] for f in others}
    assert columns == {"region_name", "publisher_label", "value_kind", "estimate_vintage", "measure_compared"}
    with duckdb.connect(str(served), read_only=True) as con:
        market = con.execute(
            "select market_name from marts.market_estimates_by_report group by 1 order by count(*) desc limit 1"
        ).fetchall()[0][0]
        for native in others:
            column = native["targets"][0]["column"]["name"]
            options = client.request("POST", "/api/v1/chart/data", _filter_options(native, market))["result"][0]["data"]
            choice = sorted(row[column] for row in options if row[column] is not None)[0]
            in_scope = {name for name, chart in charts.items() if chart["id"] not in native["scope"]["excluded"]}
            # the measure compared side by side is that chart's alone; the others filter the whole dashboard
            assert len(in_scope) >= (1 if column == "measure_compared" else 3), f"{native['name']} filters {in_scope}"
            for name in in_scope:
                result = _chart_data(client, charts[name], market_filter, market, **{column: choice})
                assert_shows(con, result, EXPECTED[name], market, f"{name} ({native['name']} = {choice})", {column: choice})


SIDE_BY_SIDE = "Publishers side by side: global market totals, one measure at a time"
# The two editions as every chart names them: publisher, the edition label both print, the printed month
# that tells them apart, and the older one marked superseded.
SPRING = "Example Anode · 2024-2032 · published 2024-03 (superseded)"
AUTUMN = "Example Anode · 2024-2032 · published 2024-10"


def test_a_revised_report_shows_each_edition_with_its_own_values(charts, client, served, market_filter):
    """Example Anode printed 134.02 US$ bn for 2032 in March 2024 and 55.52 in October (26.88 and 13.90 for
    2024): the side-by-side bars and the market-size lines show each edition with its own value, the March
    one marked superseded, and nowhere their sum (189.54, a number no report states); the overlap table
    compares the series once, by its October edition; the reports table gives each its printed month."""
    printed = {
        name: {year: float(edition[2][year][4]) for year in ("2024", "2032")} for name, edition in ((SPRING, OLDER), (AUTUMN, NEWER))
    }
    with duckdb.connect(str(served), read_only=True) as con:
        market, region, metric, unit = con.execute(
            "select market_name, region_name, metric_name, unit_name from marts.market_estimates_by_report"
            " where report_id = ? and figure_year = 2032",
            [NEWER[0]],
        ).fetchone()
    measure = f"{metric}, {unit}"
    bars = series_cells(_chart_data(client, charts[SIDE_BY_SIDE], market_filter, market, measure_compared=measure)[0])
    lines = series_cells(_chart_data(client, charts["Market size by year, per report: money"], market_filter, market)[0])
    ours = {
        (year, name.split(", ")[0]): value
        for (day, name), value in bars.items()
        if name.startswith("Example Anode") and (year := day[:4]) in ("2024", "2032")
    }
    assert ours == {(year, name): value for name, values in printed.items() for year, value in values.items()}, bars
    assert {name for (_, name) in bars if name.startswith("Example Anode")} >= {
        f"{SPRING}, forecast, reported, {measure}",
        f"{AUTUMN}, forecast, reported, {measure}",
    }
    for name, values in printed.items():
        assert lines[("2032-01-01", f"{name}, {region}, {measure}")] == values["2032"], lines
    added = round(sum(values["2032"] for values in printed.values()), 2)
    assert not any(math.isclose(value, added) for value in [*bars.values(), *lines.values()]), f"{added} shown: two editions added up"
    overlap = _chart_data(client, charts["Where publishers overlap: each report's estimate against the others"], market_filter, market)
    compared = {
        (row["figure_year"], row["report_label"], row["estimate_shown"]) for row in overlap[0]["data"] if row["metric_name"] == metric
    }
    assert (2032, AUTUMN, printed[AUTUMN]["2032"]) in compared
    assert not any(label.startswith("Example Anode") and label != AUTUMN for _, label, _ in compared), compared
    # the reports table names both editions, each with its publication month as printed
    reports = _chart_data(client, charts["Reports and their pages on the report site"], market_filter, market)[0]["data"]
    dated = {(row["report_label"], row["published_shown"]) for row in reports if row["report_label"].startswith("Example Anode")}
    assert dated == {(SPRING, OLDER[1]), (AUTUMN, NEWER[1])}
    # the consensus counts the series once, by its October edition; its history shows October replacing March
    line = series_cells(_chart_data(client, charts[CONSENSUS_BY_YEAR], market_filter, market, measure_compared=measure)[0])
    moves = _chart_data(client, charts[CONSENSUS_MOVED], market_filter, market, measure_compared=measure)[0]["data"]
    newer, older = ((edition[0], printed[name]["2032"], name) for edition, name in ((NEWER, AUTUMN), (OLDER, SPRING)))
    assert_one_voice_per_series(line, moves, served, newer, older)


def test_no_table_prints_a_key_an_empty_cell_or_true_false(charts, client):
    """Superset prints an empty cell as N/A and a true/false column as `true`/`false`: every table of the
    dashboard gives words instead (—, not stated, yes/no), for every market."""
    tables = [name for name, questions in EXPECTED.items() if questions[0][0] == "rows"]
    assert len(tables) >= 5
    for name in tables:
        for result in _chart_data(client, charts[name]):
            raw = {(column, value) for row in result["data"] for column, value in row.items() if value is None or isinstance(value, bool)}
            assert not raw, f"{name}: cells Superset would print as N/A or true/false: {sorted(raw, key=str)[:10]}"


def _filter_options(market_filter: dict, market: str | None = None) -> dict:
    """The query the filter bar sends for its options: the distinct values of its column in its dataset
    (within the chosen market, as a filter cascading from the market filter asks)."""
    column = market_filter["targets"][0]["column"]["name"]
    within = [{"col": "market_name", "op": "IN", "val": [market]}] if market else []
    return {
        "datasource": {"id": market_filter["targets"][0]["datasetId"], "type": "table"},
        "queries": [{"columns": [column], "metrics": [], "orderby": [[column, True]], "row_limit": 1000, "filters": within}],
        "result_format": "json",
        "result_type": "full",
    }


def test_a_wrong_number_fails_the_comparison():
    """The comparison can fail: one share off by a millionth of a point is caught."""
    shown = {("Type: CNCIC, China, 2021", "Natural graphite, reported"): 14.000001}
    with pytest.raises(AssertionError, match="differ"):
        assert_cells(shown, {("Type: CNCIC, China, 2021", "Natural graphite, reported"): 14.0}, "splits")


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
