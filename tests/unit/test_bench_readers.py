"""The benchmark's dashboard readers end whatever the process that started them ignores: Pool ends its
workers with SIGTERM, and a SIGTERM its starter ignores (a test worker after Dagster mapped SIGTERM to
an ignored SIGINT) would be ignored by them too, and the pool would wait on them forever."""

from __future__ import annotations

import signal

import duckdb

from bench.measure import dashboard


def test_readers_are_started_able_to_die_when_the_caller_ignores_sigterm(tmp_path):
    served = tmp_path / "served.duckdb"
    con = duckdb.connect(str(served))
    con.execute("create schema marts")
    for table, columns in {
        "market_size_by_year": "report_id varchar, market_year int, value double, unit_key varchar, basis varchar, metric varchar",
        "market_by_region_year": "report_id varchar, market_year int, segment_key varchar, share_pct double, share_basis varchar, "
        "segment_value double, segment_sort_order int",
        "market_estimates_compared": "figure_year int, report_count int, min_value double, max_value double, relative_spread_pct double, "
        "comparison_status varchar, dimension varchar, region_key varchar",
        "cagr_check": "report_id varchar, stated_cagr_pct double, implied_cagr_pct double, difference_pp double, "
        "agrees_within_tolerance boolean",
        "figure_sources": "report_id varchar, metric varchar, figure_year int, value double, unit_key varchar, quote varchar",
    }.items():
        con.execute(f"create table marts.{table} ({columns})")
    con.close()
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        p50, p95 = dashboard(served, ["r1"], rounds=1)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # what the readers were started with
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert 0 <= p50 <= p95
