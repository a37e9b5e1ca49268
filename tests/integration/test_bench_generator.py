"""The benchmark's report generator (bench/generate.py) writes reports a curator could have written:
they validate, refresh and publish, and the marts hold what their documents state. At N = 3 it also
keeps two rules honest that the three stored reports never reach: a year-on-year change a report
states itself is shown once, as stated; a year the report sizes both in value and in volume derives no
segment value (it does not say which a share is of)."""

from __future__ import annotations

import duckdb

from bench.generate import BASE_YEAR, YEARS, generate
from tests.helpers import copy_project, run_marketwh


def test_generated_reports_validate_refresh_and_publish_what_they_state(tmp_path):
    root = copy_project(tmp_path / "project")
    counts = generate(root, 3)
    assert counts["reports"] == 3 and counts["figures"] >= 3 * 150
    validated = run_marketwh(root, "validate")
    assert validated.returncode == 0, validated.stderr
    refreshed = run_marketwh(root, "refresh")
    assert refreshed.returncode == 0, refreshed.stderr[-3000:]

    con = duckdb.connect(str(root / "build" / "warehouse.duckdb"), read_only=True)
    try:
        served = con.execute("select count(*) from marts.figure_sources where report_id like 'bench_%'").fetchall()[0][0]
        growth = con.execute(
            "select basis, count(*) from marts.market_figures where report_id = 'bench_r00000' and metric = 'yoy_growth' group by basis"
        ).fetchall()
        volume_years = [
            row[0]
            for row in con.execute(
                "select distinct figure_year from marts.market_figures where report_id = 'bench_r00000' and metric = 'volume'"
            ).fetchall()
        ]
        cells = con.execute(
            "select market_year, count(*), count(estimated_value) from marts.market_by_type_region_year "
            "where report_id = 'bench_r00000' group by market_year"
        ).fetchall()
    finally:
        con.close()
    assert served == counts["figures"]  # every generated figure is served with its quote
    assert growth == [("reported", len(YEARS) - 1)]  # stated for every year but the first, never twice
    assert BASE_YEAR in volume_years
    for year, rows, estimated in cells:
        assert estimated == (0 if year in volume_years else rows), year
