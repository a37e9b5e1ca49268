"""Rules of seeds/report_figures.csv: each row is a number its report prints, in a known metric,
segment, region, unit and year, with the sentence that states it; and no two rows state different
numbers for the same thing."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..amounts import occurs_as_number, same_value
from ..seedfiles import SeedRow, SeedTable, read_seed, to_float, to_int
from ..vocabulary import PERIOD_KINDS, POINT_KINDS, SPLIT_KINDS, Vocabulary
from .common import ValidationResult, at, check_id, check_known, suggest
from .quotes import check_named, check_quote_text
from .reports import report_year_range
from .vocabulary import segment_problem

FIGURE_BASES = ("reported",)


class FigureRules:
    """The figure rules, applied row by row as read_seed streams the file past (its `on_row`), so a
    2-million-row seed is checked without holding its rows; then, in `finish`, the rules between
    rows: one row per figure id, one value per figure key. Those keep a hash per row while
    streaming and read the file again only when a hash repeats, to name both lines exactly."""

    def __init__(self, table: SeedTable, column_types: dict[str, str], reports: dict[str, SeedRow], vocabulary: Vocabulary, result):
        self.table, self.column_types, self.reports, self.vocabulary, self.result = table, column_types, reports, vocabulary, result
        self.per_report: Counter[str] = Counter()
        self._ids: set[int] = set()
        self._repeated_ids: set[int] = set()
        self._values: dict[int, float] = {}
        self._repeated_keys: set[int] = set()

    def __call__(self, row: SeedRow) -> None:
        table, vocabulary, add = self.table, self.vocabulary, self.result.problems.append
        self.per_report[row["report_id"]] += 1
        if not row["figure_id"]:
            add(at(table, row, "id_missing", "figure_id is empty"))
        elif (id_hash := hash(row["figure_id"])) in self._ids:
            self._repeated_ids.add(id_hash)
        else:
            self._ids.add(id_hash)
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
        _check_value_range(table, row, value, unit, vocabulary, add)
        _check_quote(table, row, value, unit, vocabulary, self.result, self._market(row))
        if unit is not None and row["unit"] and row["metric"]:
            key_hash, base_value = hash(self._key(row, unit)), value * float(unit["multiplier_to_base"] or 1)
            first = self._values.setdefault(key_hash, base_value)
            if not same_value(first, base_value):
                self._repeated_keys.add(key_hash)

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
            row["qualifier"],
            unit["base_unit"],
        )

    def finish(self) -> None:
        """Name every repeated id and contradictory figure key with both lines (one more read of the
        file, only when a hash repeated)."""
        if not self._repeated_ids and not self._repeated_keys:
            return
        suspects: list[SeedRow] = []

        def keep(row: SeedRow) -> None:
            unit = self.vocabulary.units.get(row["unit"])
            keyed = unit is not None and row["metric"] and to_float(row["value"]) is not None
            if hash(row["figure_id"]) in self._repeated_ids or (keyed and hash(self._key(row, unit)) in self._repeated_keys):
                suspects.append(row)

        read_seed(self.table.path, self.column_types, self.table.display_path, on_row=keep)
        add, seen_ids = self.result.problems.append, {}
        by_key: dict[tuple, list[tuple[SeedRow, float]]] = defaultdict(list)
        for row in suspects:
            if hash(row["figure_id"]) in self._repeated_ids:
                check_id(self.table, row, "figure_id", seen_ids, add)
            unit = self.vocabulary.units.get(row["unit"])
            if unit is not None and row["metric"] and (value := to_float(row["value"])) is not None:
                by_key[self._key(row, unit)].append((row, value * float(unit["multiplier_to_base"] or 1)))
        _check_contradictions(self.table, by_key, add)


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
    if report is not None:
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


def _check_value_range(table: SeedTable, row: SeedRow, value: float, unit: SeedRow | None, vocabulary: Vocabulary, add) -> None:
    """A share lies within the audit thresholds' share_min..share_max; money and volumes are positive."""
    if unit is None:
        return
    low, high = vocabulary.thresholds.get("share_min"), vocabulary.thresholds.get("share_max")
    if (
        vocabulary.metric_kind(row["metric"]) in SPLIT_KINDS
        and unit["quantity"] == "ratio"
        and low is not None
        and high is not None
        and not low <= value <= high
    ):
        add(at(table, row, "share_out_of_range", f"a {row['metric']} of {row['value']} % is outside {low:g}-{high:g}"))
    if vocabulary.is_positive(unit["quantity"]) and value <= 0:
        add(
            at(
                table,
                row,
                "value_not_positive",
                f"a {unit['quantity']} value must be greater than 0, not {row['value']}: a market the report does not size is left out",
            )
        )


def _check_quote(
    table: SeedTable, row: SeedRow, value: float, unit: SeedRow | None, vocabulary: Vocabulary, result: ValidationResult, market: str | None
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
        _check_published_amount(table, row, value, unit, vocabulary, add)
    if places := check_quote_text(table, row, result):
        check_named(table, row, places, vocabulary, result, market)


def _check_published_amount(table: SeedTable, row: SeedRow, value: float, unit: SeedRow, vocabulary: Vocabulary, add) -> None:
    """The value and unit say what the report prints (value_as_published)."""
    published = row["value_as_published"]
    amount = vocabulary.spellings.parse(published)
    if amount is None:
        add(
            at(
                table,
                row,
                "value_unparseable",
                f"cannot read {published!r} as a quantity with its unit (e.g. 'US$ 5.4 billion', '13.4%', '720 000 tons'); "
                "a currency, scale word or unit it prints may be missing from seeds/unit_spellings.csv",
            )
        )
        return
    expected = value * float(unit["multiplier_to_base"] or 1)
    if amount.quantity != unit["quantity"]:
        add(
            at(
                table,
                row,
                "unit_mismatch",
                f"{published!r} is a {amount.quantity} figure but unit {row['unit']!r} is {unit['quantity']}",
            )
        )
    elif unit["quantity"] == "ratio" and same_value(value * 100, amount.base_value) and not same_value(value, amount.base_value):
        add(
            at(
                table,
                row,
                "percent_as_fraction",
                f"value {row['value']} looks like a fraction; the report prints {published!r}: write {amount.number:g} with unit percent",
            )
        )
    elif not same_value(expected, amount.base_value):
        add(at(table, row, "value_mismatch", f"value {row['value']} {row['unit']} does not match {published!r} as published"))
    elif amount.base_unit != unit["base_unit"]:
        rule = "currency_mismatch" if amount.quantity == "money" else "unit_mismatch"
        add(at(table, row, rule, f"{published!r} is counted in {amount.base_unit} but unit {row['unit']!r} in {unit['base_unit']}"))


def _check_contradictions(table: SeedTable, by_key: dict[tuple, list[tuple[SeedRow, float]]], add) -> None:
    """Two rows for the same figure key must state the same value (a restatement), never two values."""
    for key, keyed_rows in by_key.items():
        (first, first_value), *restatements = keyed_rows
        for row, value in restatements:
            if not same_value(first_value, value):
                add(
                    at(
                        table,
                        row,
                        "contradictory_figures",
                        f"figure {row['figure_id']} ({row['value_as_published'] or row['value']}) disagrees with figure "
                        f"{first['figure_id']} on line {first.line} ({first['value_as_published'] or first['value']}) "
                        f"for the same {key[1]} of {key[3]} in {key[5] or key[6] + '-' + key[7]}",
                    )
                )
