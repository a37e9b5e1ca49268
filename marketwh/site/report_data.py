"""What a report page shows of its own: its rows in each mart the page reads, read when its page is
written (10,000 reports' figures are never all in memory), REPORT_BATCH reports at a time.

Each query reads the rows of a list of reports (`$ids`), ordered by report first and then as the page
orders them (a key unique within a report: at 1,000 reports each is), so a report's rows come in the
order a query of its own gave them. Queries of one report each scanned each mart once a report: at 1,000
reports they took 62-64 CPU-s, the batches take 8.4-8.7.
"""

from __future__ import annotations

from typing import Any

REPORT_BATCH = 50  # reports read at once: a batch costs about what one report's queries cost
_IDS = "(select unnest($ids::varchar[]))"
# a figure key's decimals in one report (report_edition_changes compares figures by this key, in one unit)
_KEY = ("metric", "dimension", "segment_key", "region_key", "figure_year", "period_start_year", "period_end_year", "unit_key")
_SAME_KEY = " and ".join(f"{{side}}.{column} is not distinct from c.{column}" for column in _KEY)
REPORT_QUERIES = {
    "figures": f"""
        select * from marts.market_figures where report_id in {_IDS}
        order by report_id, metric, dimension, segment_key, region_key, figure_year, period_start_year""",
    # report_id last: it is taken off each row (a quote is the page's by its figure)
    "quotes": f"""
        select market_figure_id, figure_id, is_primary_quote, section, quote, value_as_published, report_id
        from marts.figure_sources where report_id in {_IDS} order by report_id, market_figure_id, not is_primary_quote, figure_id""",
    # an estimated cell is shown with the precision of the report's total it splits (the coarsest of its sources)
    "estimated_cells": f"""
        select c.*, t.value_decimals
        from marts.market_by_type_region_year c
        left join (
            select report_id, market_year, unit_key, min(value_decimals) as value_decimals
            from marts.market_size_by_year where report_id in {_IDS} group by report_id, market_year, unit_key
        ) t on t.report_id = c.report_id and t.market_year = c.market_year and t.unit_key = c.value_unit
        where c.report_id in {_IDS}
        order by c.report_id, c.market_year, c.type_key, c.region_segment_key""",
    "claims": f"select * from marts.claim_sources where report_id in {_IDS} order by report_id, claim_id",
    # other publishers' estimates the report's document quotes: shown apart, never among its own figures
    "cited": f"select * from marts.cited_estimates where citing_report_id in {_IDS} order by citing_report_id, figure_id",
    # what changed from the previous edition of its series to this one, and from this one to the next,
    # older to newer; each value with the decimals its edition printed it with (a row is the page of
    # both its editions)
    "edition_changes": f"""
        with c as (
            select * from marts.report_edition_changes where older_report_id in {_IDS} or newer_report_id in {_IDS}
        ),
        -- the decimals of the editions these pages compare only (a group-by of every report's figures
        -- for each page took 0.18 s a page at 1,000 reports)
        decimals as (
            select report_id, {", ".join(_KEY)}, max(value_decimals) as value_decimals
            from marts.market_figures
            where report_id in (select older_report_id from c union select newer_report_id from c)
            group by report_id, {", ".join(_KEY)}
        )
        select c.*, o.value_decimals as older_decimals, n.value_decimals as newer_decimals
        from c
        left join decimals o on o.report_id = c.older_report_id and {_SAME_KEY.format(side="o")}
        left join decimals n on n.report_id = c.newer_report_id and {_SAME_KEY.format(side="n")}
        order by c.older_report_id, c.metric, c.dimension, c.segment_key, c.region_key, c.figure_year, c.period_start_year""",
}
# the column that names the report (or reports) a row is read for
_OF = {"cited": ("citing_report_id",), "edition_changes": ("older_report_id", "newer_report_id")}


def read_reports_rows(con, report_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each of `report_ids`' figures, quotes (market_figure_id -> quotes, the primary first), cells,
    claims, cited estimates and edition changes, in plain tuples made dicts (a DataFrame per small
    query costs more than the query)."""
    rows: dict[str, dict[str, Any]] = {rid: {name: [] for name in REPORT_QUERIES} for rid in report_ids}
    for name, sql in REPORT_QUERIES.items():
        cursor = con.execute(sql, {"ids": list(report_ids)})
        columns = [column[0] for column in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            for of in dict.fromkeys(row[column] for column in _OF.get(name, ("report_id",))):
                if of in rows:
                    rows[of][name].append(row)
            if name == "quotes":
                del row["report_id"]
    for report in rows.values():
        quotes: dict[str, list[dict[str, Any]]] = {}
        for row in report.pop("quotes"):
            quotes.setdefault(row["market_figure_id"], []).append(row)
        report["quotes"] = quotes
    return rows


class ReportRows:
    """The rows of each report of `report_ids` (in the order its pages are written), read REPORT_BATCH
    reports at a time from the one asked for on; a report asked for twice is read again."""

    def __init__(self, con, report_ids: list[str]) -> None:
        self.con, self.ids, self.rows = con, list(report_ids), {}
        self.position = {report_id: index for index, report_id in enumerate(self.ids)}

    def of(self, report_id: str) -> dict[str, Any]:
        if report_id not in self.rows:
            start = self.position.get(report_id)
            self.rows = read_reports_rows(self.con, self.ids[start : start + REPORT_BATCH] if start is not None else [report_id])
        return self.rows.pop(report_id)


def report_rows(reader: ReportRows, report_id: str) -> dict[str, Any]:
    """One report's rows (read_reports_rows), from `reader`'s batch."""
    return reader.of(report_id)
