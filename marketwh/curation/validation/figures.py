"""Rules of seeds/report_figures.csv: each row is a number its report prints, in a known metric,
segment, region, unit and year, with the sentence that states it; and no two rows state different
numbers for the same thing."""

from __future__ import annotations

from collections import Counter, defaultdict

from ...errors import Problem
from ..amounts import occurs_as_number, same_value
from ..seedfiles import SeedRow, SeedTable, cell_checks, cell_problems, read_seed, to_float, to_int
from ..vocabulary import PERIOD_KINDS, POINT_KINDS, Vocabulary
from .common import ValidationResult, at, check_id, check_known, suggest
from .figure_values import check_contradictions, check_published_amount, check_qualifier, check_value_range
from .quotes import check_named, check_quote_text
from .reports import report_year_range
from .vocabulary import segment_problem

FIGURE_BASES = ("reported",)
RUN_LIMIT = 20_000  # rows of one report held together while its fingerprint is worked out (per_report.py)


class FigureRules:
    """The figure rules, applied as read_seed streams the file past (its `on_row`), so a 2-million-row
    seed is checked without holding its rows: each row's own rules with the other rows of its report
    (`check_row`, run or skipped per report by `checks`), and the rules between rows, one row per figure
    id, one value per figure key and quote, by a hash per row while streaming; `finish` reads the file
    again only when a hash repeats with another value, to name both lines exactly."""

    def __init__(self, table: SeedTable, column_types: dict[str, str], reports: dict[str, SeedRow], vocabulary: Vocabulary, result, checks):
        self.table, self.column_types, self.reports, self.vocabulary, self.result = table, column_types, reports, vocabulary, result
        self.checks = checks  # per_report.ReportChecks: runs (or skips) a report's per-row rules
        self.per_report: Counter[str] = Counter()
        self._ids: set[int] = set()
        self._repeated_ids: set[int] = set()
        self._values: dict[int, float] = {}
        self._repeated_keys: set[int] = set()
        self._run: list[SeedRow] = []  # consecutive rows of one report, handed over together
        self._cells = cell_checks(column_types)  # checked here, not by the reader (read with check_cells=False)

    def __call__(self, row: SeedRow) -> None:
        """The rules between rows, on every row as it passes (by hash); the row itself goes with the
        other rows of its report to their per-row rules."""
        self.per_report[row["report_id"]] += 1
        if row["figure_id"]:
            if (id_hash := hash(row["figure_id"])) in self._ids:
                self._repeated_ids.add(id_hash)
            else:
                self._ids.add(id_hash)
        unit, value = self.vocabulary.units.get(row["unit"]), to_float(row["value"])
        if unit is not None and value is not None and row["unit"] and row["metric"]:
            key_hash, base_value = self._quoted_key_hash(row, unit), value * float(unit["multiplier_to_base"] or 1)
            first = self._values.setdefault(key_hash, base_value)
            if not same_value(first, base_value):
                self._repeated_keys.add(key_hash)
        if self._run and self._run[0]["report_id"] != row["report_id"]:
            self.hand_over()
        self._run.append(row)
        if len(self._run) >= RUN_LIMIT:  # a report this long is checked as it streams
            self.checks.figure_run(row["report_id"], self._run, self.check_row, complete=False)
            self._run = []

    def hand_over(self) -> None:
        """The rows of the current run of one report to its per-row rules (at a change of report, and
        at the end of the file)."""
        if self._run:
            self.checks.figure_run(self._run[0]["report_id"], self._run, self.check_row)
            self._run = []

    def check_row(self, row: SeedRow) -> None:
        """The rules of one figure row on its own (with its report's row, document and the vocabulary)."""
        table, vocabulary, add = self.table, self.vocabulary, self.result.problems.append
        for rule, message in cell_problems(row, self._cells):
            add(Problem(table.display_path, row.line, rule, message))
        if not row["figure_id"]:
            add(at(table, row, "id_missing", "figure_id is empty"))
        report = self.reports.get(row["report_id"])
        if report is None and vocabulary.known.reports:
            check_known(table, row, "report_id", list(self.reports), "unknown_report", "in seeds/reports.csv", add)
        unit = _check_names(table, row, report, vocabulary, add)
        _check_years(table, row, report, vocabulary.metric_kind(row["metric"]), add)
        value = to_float(row["value"])
        if value is None:
            if row["value"] == "":
                add(
                    at(
                        table,
                        row,
                        "value_missing",
                        "value is empty: a seed row holds a number the report states (a segment without one is a claim, not a figure)",
                    )
                )
            return
        check_value_range(table, row, value, unit, vocabulary, add)
        check_qualifier(table, row, vocabulary, add)
        forecast = (report["forecast_start_year"], report["forecast_end_year"]) if report is not None else None
        _check_quote(table, row, value, unit, vocabulary, self.result, self._market(row), forecast)

    def _market(self, row: SeedRow) -> str | None:
        report = self.reports.get(row["report_id"])
        return report["market"] if report is not None else None

    def _key(self, row: SeedRow, unit: SeedRow) -> tuple:
        return (
            row["report_id"],
            row["metric"],
            row["dimension"],
            self.vocabulary.resolve_segment(row["dimension"], row["segment"], self._market(row)) or row["segment"],
            row["region"],
            row["year"],
            row["period_start_year"],
            row["period_end_year"],
            unit["base_unit"],
            row["cited_publisher"],  # another publisher's estimate (of its own date) never contradicts the report's own
            row["cited_date"],
        )

    def _quoted_key_hash(self, row: SeedRow, unit: SeedRow) -> int:
        """A figure key with its quote: only two values from one quote contradict (check_contradictions), two
        quotes that disagree are the publisher's finding, so they never make `finish` read the file again."""
        return hash((self._key(row, unit), row["quote"]))

    def finish(self) -> None:
        """Name every repeated id and contradictory figure key with both lines (one more read of the
        file, only when a hash repeated)."""
        if not self._repeated_ids and not self._repeated_keys:
            return
        suspects: list[SeedRow] = []

        def keep(row: SeedRow) -> None:
            unit = self.vocabulary.units.get(row["unit"])
            keyed = unit is not None and row["metric"] and to_float(row["value"]) is not None
            if hash(row["figure_id"]) in self._repeated_ids or (keyed and self._quoted_key_hash(row, unit) in self._repeated_keys):
                suspects.append(row)

        read_seed(self.table.path, self.column_types, self.table.display_path, on_row=keep, check_cells=False)
        add, seen_ids = self.result.problems.append, {}
        by_key: dict[tuple, list[tuple[SeedRow, float]]] = defaultdict(list)
        for row in suspects:
            if hash(row["figure_id"]) in self._repeated_ids:
                check_id(self.table, row, "figure_id", seen_ids, add)
            unit = self.vocabulary.units.get(row["unit"])
            if unit is not None and row["metric"] and (value := to_float(row["value"])) is not None:
                by_key[self._key(row, unit)].append((row, value * float(unit["multiplier_to_base"] or 1)))
        check_contradictions(self.table, by_key, add)


def _check_names(table: SeedTable, row: SeedRow, report: SeedRow | None, vocabulary: Vocabulary, add) -> SeedRow | None:
    """Basis, metric, segment (of the report's market), region and unit are known, and the unit
    measures what the metric does; returns the unit's row (None if unknown)."""
    known = vocabulary.known
    if row["basis"] not in FIGURE_BASES:
        add(
            at(
                table,
                row,
                "basis",
                f"basis {row['basis']!r}: seed figures are stated by the report, basis must be 'reported' "
                "(derived values are computed in dbt)",
            )
        )
    if known.metrics:
        check_known(
            table, row, "metric", list(vocabulary.stated_metrics), "unknown_metric", "in seeds/metrics.csv with stated_by_reports true", add
        )
    market = report["market"] if report is not None else None
    found = segment_problem(vocabulary, table, row, row["dimension"], row["segment"], market) if known.segments else None
    if found:
        add(found)
    if known.segments and not vocabulary.is_region(row["region"]):
        add(
            at(
                table,
                row,
                "unknown_region",
                f"region {row['region']!r} is not a region or country in seeds/segments.csv"
                + suggest(row["region"], list(vocabulary.regions)),
            )
        )
    unit = vocabulary.units.get(row["unit"])
    if known.units:
        check_known(table, row, "unit", list(vocabulary.units), "unknown_unit", "in seeds/units.csv", add)
    metric = vocabulary.metrics.get(row["metric"])
    if unit is not None and metric is not None and not vocabulary.quantity_fits(unit["quantity"], metric["quantity"]):
        add(
            at(
                table,
                row,
                "unit_not_of_metric",
                f"unit {row['unit']!r} measures {unit['quantity']} but metric {row['metric']!r} is {metric['quantity']} "
                "(seeds/metrics.csv): choose a unit of that quantity, or the metric the number is",
            )
        )
    return unit


def _check_years(table: SeedTable, row: SeedRow, report: SeedRow | None, kind: str | None, add) -> None:
    year, start, end = to_int(row["year"]), to_int(row["period_start_year"]), to_int(row["period_end_year"])
    if kind in PERIOD_KINDS and (start is None or end is None or year is not None):
        add(
            at(
                table,
                row,
                "period_missing",
                f"a {row['metric']} covers a period: set period_start_year and period_end_year, leave year empty",
            )
        )
    if year is not None and (start is not None or end is not None):
        add(at(table, row, "year_and_period", "a figure has a year or a period (period_start_year, period_end_year), never both"))
    if kind in POINT_KINDS and not row["year"]:
        add(at(table, row, "year_missing", f"a {row['metric']} is a point figure: set year"))
    if start is not None and end is not None and start > end:
        add(at(table, row, "period_order", f"period_start_year {start} is after period_end_year {end}"))
    if report is not None and not row["cited_publisher"]:  # a cited estimate's years are its publisher's
        first, last = report_year_range(report)
        for column, value in (("year", year), ("period_start_year", start), ("period_end_year", end)):
            if value is not None and first is not None and not first <= value <= last:
                add(
                    at(
                        table,
                        row,
                        "year_out_of_range",
                        f"{column} {value} is outside the years report {row['report_id']!r} covers ({first}-{last})",
                    )
                )


def _check_quote(
    table: SeedTable, row: SeedRow, value: float, unit: SeedRow | None, vocabulary: Vocabulary, result: ValidationResult, market, forecast
) -> None:
    add = result.problems.append
    published, quote = row["value_as_published"], row["quote"]
    if not quote.strip():
        add(at(table, row, "quote_missing", "quote is empty: every figure needs the sentence that states it"))
        return
    if not published:
        add(at(table, row, "value_as_published_missing", "value_as_published is empty: write the number as the report prints it"))
    elif not occurs_as_number(published, quote):
        add(at(table, row, "value_not_in_quote", f"the value as published {published!r} does not occur in the quote {quote!r}"))
    if published and unit is not None:
        check_published_amount(table, row, value, unit, vocabulary, add)
    if places := check_quote_text(table, row, result):
        check_named(table, row, places, vocabulary, result, market, forecast)
