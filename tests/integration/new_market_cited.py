"""Checks of the new-market refresh (tests/integration/test_new_market_by_seed_rows.py) on what a report
says of its periods and of other publishers: a rate's period says where it came from, and a figure the
document cites from another publisher is served as that publisher's estimate, never in the citing
report's series, totals or findings."""

from __future__ import annotations

from collections.abc import Callable


def assert_periods_and_cited_served(served: Callable, report_id: str, cited_sentence: str, own_2024: float, finding_key: str) -> None:
    """`served(sql, *params)` -> rows of the published warehouse; `own_2024` the report's own 2024 value as
    its sentence prints it; `finding_key` the report's one finding."""
    # printed in its sentence, or the report's declared forecast period
    assert served(
        "select period_start_year, period_end_year, period_source from marts.market_figures "
        "where report_id = ? and metric = 'cagr' and basis = 'reported' order by 1",
        report_id,
    ) == [(2024, 2032, "printed"), (2025, 2032, "report_forecast_period")]
    # Wood Mackenzie's 99.0 is served as its estimate, never in the report's series, totals or findings
    assert served(
        "select cited_publisher, cited_date, citing_report_id, value, quote from marts.cited_estimates where figure_id = 'lith-012'"
    ) == [("Wood Mackenzie", "2023", report_id, 99.0, cited_sentence)]
    sql = "select value from marts.market_size_by_year where report_id = ? and metric = 'market_value' and market_year = 2024"
    assert served(sql, report_id) == [(own_2024,)]
    assert served("select count(*) from marts.market_figures where source_figure_ids like '%lith-012%'") == [(0,)]
    assert served("select count(*) from marts.figure_sources where figure_id = 'lith-012'") == [(0,)]
    assert served("select finding_key from marts.report_findings where report_id = ?", report_id) == [(finding_key,)]
