"""What the report site shows, read from the served file (read-only) in one connection.

Every number on the site comes from a mart: the site formats and arranges rows, it never computes a
figure. Rows are plain dicts (pandas NA and NaN become None) so the templates stay simple.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..warehouse.reader import read_only
from .report_data import REPORT_QUERIES

# what every page may need: read once per site
SITE_QUERIES = {
    "build": "select * from marts.warehouse_build",
    # a date as printed sorts as text (2024-03 before 2024-10); a month-only date has no date_published
    "reports": "select * from marts.reports order by market_key, date_published_printed, report_id",
    "estimates": """
        select e.*, r.report_title, r.superseded_by_report_id
        from marts.market_estimates_by_report e join marts.reports r using (report_id)
        order by e.market_key, e.metric, e.dimension, e.segment_key, e.region_key, e.unit_key, e.report_id, e.figure_year""",
    "compared": """
        select * from marts.market_estimates_compared
        order by market_key, metric, dimension, segment_key, region_key, unit_key, figure_year""",
    "findings": "select * from marts.report_findings order by severity, status desc, finding_key",
    # what the publishers say together, what it leaves out and why, and how it moved (issue 27)
    "consensus": """
        select * from marts.market_consensus
        order by market_key, metric, dimension, segment_key, region_key, unit_key, figure_year""",
    # the estimates each consensus counts (a conversion from another currency among them): its chart's points
    "consensus_estimates": """
        select * from marts.market_consensus_estimates
        order by market_key, metric, dimension, segment_key, region_key, unit_key, figure_year, report_id""",
    "consensus_excluded": """
        select * from marts.market_consensus_excluded
        order by market_key, metric, dimension, segment_key, region_key, unit_key, report_id, figure_year""",
    "consensus_history": """
        select * from marts.market_consensus_history
        order by market_key, metric, dimension, segment_key, region_key, unit_key, figure_year, as_of_date""",
    "cagr": "select * from marts.cagr_check order by report_id, metric_series",
    # how units, segments and regions are named: the seeds' display names, as the build loaded them
    "units": "select unit_key, display_name from seeds.units",
    "segments": "select dimension, segment_key, display_name from seeds.segments",
    "metrics": "select metric, display_name from seeds.metrics",
    "dimensions": "select dimension, display_name from seeds.dimensions",
    "quantities": "select u.unit_key, q.display_name from seeds.units u join seeds.quantities q on u.quantity = q.quantity",
    # what each mart column means (dbt's docs, persisted as comments): shown where a derived column is
    "column_docs": "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts' and comment is not null",
}
# the lists a market page reads, read a market at a time while pages are rendered (SiteData.of_market):
# held whole, their 600,000 rows at 1,000 reports took ~1.3 GB of the site build's 1.7 GB
MARKET_LISTS = ("estimates", "compared", "consensus", "consensus_estimates", "consensus_excluded", "consensus_history")
MARKET_QUERIES = {
    name: SITE_QUERIES[name].replace("order by", f"where {'e.' if name == 'estimates' else ''}market_key = ? order by", 1)
    for name in MARKET_LISTS
}
QUERIES = {**SITE_QUERIES, **REPORT_QUERIES}


_AS_READ = (str, int, bool, type(None))


def _plain(value: Any) -> Any:
    """A value as the templates take it: NULL and NaN as None, a DECIMAL as a float, a timestamp as its
    date (as the site always showed them)."""
    kind = type(value)
    if kind in _AS_READ:
        return value
    if kind is float:
        return None if math.isnan(value) else value
    if kind is Decimal:
        return float(value)
    if isinstance(value, datetime):
        return value.date()
    return value


def _records(cursor) -> list[dict[str, Any]]:
    """An executed query's rows as plain dicts: straight from DuckDB's tuples (a DataFrame made into
    dicts cost ~25 s of 50 at 1,000 reports, for 630,000 rows)."""
    columns = [column[0] for column in cursor.description]
    return [{column: _plain(value) for column, value in zip(columns, values, strict=True)} for values in cursor.fetchall()]


def read_records(db: Path, queries: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Each named query's rows as plain dicts, on one read-only connection."""
    with read_only(db) as con:
        return {name: _records(con.execute(sql)) for name, sql in queries.items()}


@dataclass
class SiteData:
    db: Path
    build: dict[str, Any]
    reports: list[dict[str, Any]]
    estimates: list[dict[str, Any]]
    compared: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    cagr: list[dict[str, Any]]
    audits: list[dict[str, Any]] = field(default_factory=list)
    consensus: list[dict[str, Any]] = field(default_factory=list)  # market_consensus rows
    consensus_estimates: list[dict[str, Any]] = field(default_factory=list)  # market_consensus_estimates rows
    consensus_excluded: list[dict[str, Any]] = field(default_factory=list)
    consensus_history: list[dict[str, Any]] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)  # unit_key -> display name
    segment_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (dimension, segment_key) -> display name
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # metrics / dimensions / quantities (by unit) -> key -> name
    column_docs: dict[tuple[str, str], str] = field(default_factory=dict)  # (mart, column) -> its dbt description
    # read_site_data leaves the MARKET_LISTS empty: of_market reads a market's rows on `con`, a read-only
    # connection to `db` that render_site opens, and keeps the last market's only
    by_market: bool = False
    con: Any = field(default=None, repr=False, compare=False)
    _market: tuple[Any, dict[str, list[dict[str, Any]]]] = field(default_factory=lambda: (None, {}), init=False, repr=False, compare=False)
    # lists grouped once (a page used to scan every row of a site-wide list: 100 markets x 600,000 rows)
    _grouped: dict[tuple[str, str], tuple[int, int, dict[Any, Any]]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _group(self, name: str, key: str, many: bool = True) -> dict[Any, Any]:
        """The rows of the list `name` by their `key` (lists in order; or the first row when not `many`),
        grouped again only when the list is another one."""
        rows = getattr(self, name)
        cached = self._grouped.get((name, key))
        if cached is None or cached[0] != id(rows) or cached[1] != len(rows):
            grouped: dict[Any, Any] = {}
            for row in rows:
                if many:
                    grouped.setdefault(row.get(key), []).append(row)
                else:
                    grouped.setdefault(row.get(key), row)
            cached = self._grouped[(name, key)] = (id(rows), len(rows), grouped)
        return cached[2]

    def of_market(self, name: str, market_key: str) -> list[dict[str, Any]]:
        """The rows of a site-wide list (estimates, compared, consensus...) of one market, in their order."""
        if not (self.by_market and name in MARKET_QUERIES):
            return self._group(name, "market_key").get(market_key, [])
        if self.con is None:
            raise RuntimeError("SiteData.of_market: the market lists are read on a connection render_site opens")
        if self._market[0] != market_key:
            self._market = (market_key, {})
        rows = self._market[1]
        if name not in rows:
            rows[name] = _records(self.con.execute(MARKET_QUERIES[name], [market_key]))
        return rows[name]

    @contextlib.contextmanager
    def reading(self) -> Iterator[Any]:
        """A read-only connection to `db`, on which of_market reads while the block runs."""
        with read_only(self.db) as self.con:
            try:
                yield self.con
            finally:
                self.con, self._market = None, (None, {})

    def column_doc(self, table: str, column: str) -> str:
        """What a mart's column means, as its dbt docs say ("" when undocumented)."""
        return self.column_docs.get((table, column), "")

    def label(self, kind: str, key: Any) -> str:
        """A metric, dimension or a unit's quantity as the seeds name it (its key when they do not)."""
        return self.labels.get(kind, {}).get(key) or str(key)

    def segment_name(self, dimension: str, key: str) -> str:
        """A segment as the seeds name it (its key when they do not)."""
        return self.segment_names.get((dimension, key), key)

    def region_name(self, key: str) -> str:
        """A region (a region or a country segment) as the seeds name it."""
        return self.segment_names.get(("region", key)) or self.segment_names.get(("country", key)) or key

    def report(self, report_id: Any) -> dict[str, Any] | None:
        """The marts.reports row of `report_id` (None when there is none)."""
        return self._group("reports", "report_id", many=False).get(report_id) if report_id is not None else None

    def report_label(self, report_id: Any) -> str:
        """A report as people name it: its publisher and year of publication (its id when unknown)."""
        report = self.report(report_id)
        if report is None:
            return str(report_id)
        printed = report.get("date_published_printed")  # a month-only date has no date_published, but a year
        return f"{report['publisher_label']} ({printed[:4] if printed else 'undated'})"

    def editions(self, series_id: Any) -> list[dict[str, Any]]:
        """The reports of a series, oldest edition first (a withdrawn report, no edition, last)."""
        rows = [r for r in self.reports if r.get("series_id") == series_id]
        return sorted(rows, key=lambda r: (r.get("edition_number") is None, r.get("edition_number") or 0, r["report_id"]))

    def by_report(self, name: str) -> dict[str, list[dict[str, Any]]]:
        """Rows of a site-wide list grouped by report_id, grouped once."""
        return self._group(name, "report_id")

    def markets(self) -> list[dict[str, Any]]:
        """One entry per market: its key, name and reports, in the order the reports are listed."""
        markets: dict[str, dict[str, Any]] = {}
        for report in self.reports:
            key = report["market_key"]
            entry = markets.setdefault(key, {"market_key": key, "market_name": report["market_name"], "reports": []})
            entry["reports"].append(report)
        return list(markets.values())


def read_site_data(db: Path) -> SiteData:
    from ..warehouse.audit_results import read_audit_results

    frames = read_records(db, {name: sql for name, sql in SITE_QUERIES.items() if name not in MARKET_LISTS})
    build = frames.pop("build")
    unit_names = {row["unit_key"]: row["display_name"] for row in frames.pop("units")}
    segment_names = {(row["dimension"], row["segment_key"]): row["display_name"] for row in frames.pop("segments")}
    labels = {
        kind: {next(iter(row.values())): row["display_name"] for row in frames.pop(kind)}
        for kind in ("metrics", "dimensions", "quantities")
    }
    column_docs = {(row["table_name"], row["column_name"]): row["comment"] for row in frames.pop("column_docs")}
    # each check's failing rows are its findings (report_findings.rule = audit_results.check_name)
    audits = [
        {**audit, "failing_rows": [f for f in frames["findings"] if f["rule"] == audit["check_name"]]} for audit in read_audit_results(db)
    ]
    return SiteData(
        db=db,
        build=build[0] if build else {},
        audits=audits,
        unit_names=unit_names,
        segment_names=segment_names,
        labels=labels,
        column_docs=column_docs,
        by_market=True,
        **{name: [] for name in MARKET_LISTS},  # read a market at a time (of_market)
        **frames,
    )
