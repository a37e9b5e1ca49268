"""Validate every seed and report document before dbt runs: fast, pure Python, all problems in one
pass, each naming the file, the line and the rule.

Run by `marketwh validate` (exit 1 on any error) and as the first Dagster asset check, so a person
editing a seed sees the same messages on the command line and in the UI.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .amounts import parse_amount, same_value
from .documents import ReportDocument, read_report_document
from .errors import InputError, Problem
from .seedfiles import SeedRow, SeedTable, load_seed_schemas, read_seed
from .settings import ProjectPaths

SPLIT_METRICS = ("share", "concentration", "cost_share")
# a total must have a year; a share or cost share may be stated without one ("more than 90%")
POINT_METRICS = ("market_value", "volume", "yoy_growth")
PERIOD_METRICS = ("cagr",)
FIGURE_BASES = ("reported",)
CLAIM_TYPES = ("segment_listed", "country_listed", "key_company", "ranking", "top_five_by_revenue", "silicon_anode_maker")
FILE_LEVEL_RULES = ("seed_missing", "seed_unreadable", "csv_empty", "csv_encoding", "csv_quoting", "csv_header")


@dataclass(frozen=True)
class Known:
    """Which reference seeds could be read: checks against an unreadable one are skipped."""

    reports: bool = True
    units: bool = True
    segments: bool = True


@dataclass
class ValidationResult:
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, SeedTable] = field(default_factory=dict)
    documents: dict[str, ReportDocument] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)


def _suggest(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value.lower(), [k.lower() for k in known], n=1, cutoff=0.5)
    if close:
        original = next(k for k in known if k.lower() == close[0])
        return f"; did you mean {original!r}?"
    return f"; known: {', '.join(sorted(known)[:12])}" if known else ""


def validate_project(paths: ProjectPaths | None = None) -> ValidationResult:
    paths = paths or ProjectPaths.default()
    result = ValidationResult()
    add = result.problems.append
    try:
        schemas = load_seed_schemas(paths.seeds_dir)
    except InputError as error:
        result.problems.extend(error.problems)
        return result

    unreadable: set[str] = set()
    for name, column_types in schemas.items():
        path = paths.seeds_dir / f"{name}.csv"
        table, problems = read_seed(path, column_types, display_path=_rel(path, paths.root))
        result.tables[name] = table
        result.problems.extend(problems)
        if any(p.rule in FILE_LEVEL_RULES for p in problems):
            unreadable.add(name)
    extra = sorted(p.name for p in paths.seeds_dir.glob("*.csv") if p.stem not in schemas)
    for name in extra:
        add(Problem(f"seeds/{name}", None, "seed_undeclared", f"no entry for {name[:-4]!r} in seeds/{'_seeds.yml'}: declare its column_types"))

    # a file that could not be read is reported once; rows that refer to it are not also reported
    tables = {name: (None if name in unreadable else table) for name, table in result.tables.items()}
    units = _index(tables.get("units"), "unit_key")
    segments: dict[str, dict[str, SeedRow]] = defaultdict(dict)
    for row in _rows(tables.get("segments")):
        segments[row["dimension"]][row["segment_key"]] = row
    synonyms = {(row["dimension"], row["synonym"].lower()): row["segment_key"] for row in _rows(tables.get("segment_synonyms"))}
    reports = _check_reports(tables.get("reports"), paths, result)
    _check_unique(tables.get("segments"), ("dimension", "segment_key"), add)
    _check_unique(tables.get("units"), ("unit_key",), add)
    for row in _rows(tables.get("segment_synonyms")):
        if row["segment_key"] not in segments.get(row["dimension"], {}):
            add(_at(tables["segment_synonyms"], row, "unknown_segment",
                    f"synonym {row['synonym']!r} maps to unknown segment {row['dimension']}:{row['segment_key']}"
                    + _suggest(row["segment_key"], list(segments.get(row["dimension"], {})))))
    known = Known(
        reports=tables.get("reports") is not None,
        units=tables.get("units") is not None,
        segments=tables.get("segments") is not None and tables.get("segment_synonyms") is not None,
    )
    _check_figures(tables.get("report_figures"), reports, units, segments, synonyms, result, known)
    _check_claims(tables.get("report_claims"), reports, segments, synonyms, result, known)
    return result


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _rows(table: SeedTable | None) -> list[SeedRow]:
    return table.rows if table else []


def _index(table: SeedTable | None, column: str) -> dict[str, SeedRow]:
    return {row[column]: row for row in _rows(table)}


def _at(table: SeedTable, row: SeedRow, rule: str, message: str, severity: str = "error") -> Problem:
    return Problem(table.display_path, row.line, rule, message, severity)


def _check_unique(table: SeedTable | None, key: tuple[str, ...], add) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for row in _rows(table):
        value = tuple(row[c] for c in key)
        if value in seen:
            add(_at(table, row, "duplicate_key", f"{'/'.join(key)} {'/'.join(value)!r} already defined on line {seen[value]}"))
        else:
            seen[value] = row.line


def _check_reports(table: SeedTable | None, paths: ProjectPaths, result: ValidationResult) -> dict[str, SeedRow]:
    add = result.problems.append
    reports = {}
    for row in _rows(table):
        if row["report_id"] in reports:
            add(_at(table, row, "duplicate_id", f"report_id {row['report_id']!r} already defined on line {reports[row['report_id']].line}"))
            continue
        reports[row["report_id"]] = row
        for column in ("report_id", "title", "publisher", "url", "date_accessed", "document_path", "document_sha256"):
            if not row[column].strip():
                add(_at(table, row, "provenance_missing", f"column {column} is empty: every report needs its full origin"))
        try:
            start, end, base = int(row["forecast_start_year"]), int(row["forecast_end_year"]), int(row["base_year"])
            first = int(row["history_start_year"])
            if not first <= base < start <= end:
                add(_at(table, row, "report_years",
                        f"years must satisfy history_start_year {first} <= base_year {base} < forecast_start_year {start} <= forecast_end_year {end}"))
        except ValueError:
            pass  # reported as a type problem already
        if not row["document_path"]:
            continue
        doc_path = paths.root / row["document_path"]
        try:
            document = read_report_document(doc_path, display_path=row["document_path"])
        except InputError as error:
            result.problems.extend(error.problems)
            add(_at(table, row, "document_unusable", f"report {row['report_id']!r}: its document {row['document_path']} cannot be used (see above)"))
            continue
        result.documents[row["report_id"]] = document
        if document.sha256 != row["document_sha256"].lower():
            add(_at(table, row, "document_sha256_mismatch",
                    f"{row['document_path']} has sha256 {document.sha256}, the seed says {row['document_sha256']}: "
                    "the document changed after its figures were curated; re-check the quotes, then update the hash "
                    "(a new edition of a report is a new row, not an edit)"))
    return reports


def _resolve_segment(dimension: str, name: str, segments, synonyms) -> str | None:
    if name in segments.get(dimension, {}):
        return name
    mapped = synonyms.get((dimension, name.lower()))
    if mapped:
        return mapped
    for key, row in segments.get(dimension, {}).items():
        if row["display_name"].lower() == name.lower():
            return key
    return None


def _segment_problem(table, row, dimension, name, segments, synonyms, what="segment") -> Problem | None:
    if dimension not in segments:
        return _at(table, row, "unknown_dimension", f"dimension {dimension!r} is not in the taxonomy" + _suggest(dimension, list(segments)))
    if _resolve_segment(dimension, name, segments, synonyms) is None:
        known = list(segments[dimension]) + [s for (d, s) in synonyms if d == dimension]
        return _at(table, row, "unknown_segment", f"{what} {name!r} is not a {dimension} in seeds/segments.csv or seeds/segment_synonyms.csv" + _suggest(name, known))
    return None


def _check_figures(table, reports, units, segments, synonyms, result: ValidationResult, known: Known) -> None:
    if table is None:
        return
    add = result.problems.append
    seen_ids: dict[str, int] = {}
    by_key: dict[tuple, list[tuple[SeedRow, float]]] = defaultdict(list)
    regions = {**segments.get("region", {}), **segments.get("country", {})}
    for row in table.rows:
        figure_id = row["figure_id"]
        if not figure_id:
            add(_at(table, row, "id_missing", "figure_id is empty"))
        elif figure_id in seen_ids:
            add(_at(table, row, "duplicate_id", f"figure_id {figure_id!r} already used on line {seen_ids[figure_id]}"))
        else:
            seen_ids[figure_id] = row.line
        report = reports.get(row["report_id"])
        if report is None and known.reports:
            add(_at(table, row, "unknown_report", f"report_id {row['report_id']!r} is not in seeds/reports.csv" + _suggest(row["report_id"], list(reports))))
        if row["basis"] not in FIGURE_BASES:
            add(_at(table, row, "basis", f"basis {row['basis']!r}: seed figures are stated by the report, basis must be 'reported' (derived values are computed in dbt)"))
        found = _segment_problem(table, row, row["dimension"], row["segment"], segments, synonyms) if known.segments else None
        if found:
            add(found)
        if known.segments and row["region"] not in regions and _resolve_segment("region", row["region"], segments, synonyms) is None \
                and _resolve_segment("country", row["region"], segments, synonyms) is None:
            add(_at(table, row, "unknown_region", f"region {row['region']!r} is not a region or country in seeds/segments.csv" + _suggest(row["region"], list(regions))))
        unit = units.get(row["unit"])
        if unit is None and known.units:
            add(_at(table, row, "unknown_unit", f"unit {row['unit']!r} is not in seeds/units.csv" + _suggest(row["unit"], list(units))))
        # years
        year, start, end = _int(row["year"]), _int(row["period_start_year"]), _int(row["period_end_year"])
        if row["metric"] in PERIOD_METRICS and (start is None or end is None or year is not None):
            add(_at(table, row, "period_missing", f"a {row['metric']} covers a period: set period_start_year and period_end_year, leave year empty"))
        if row["metric"] in POINT_METRICS and not row["year"]:
            add(_at(table, row, "year_missing", f"a {row['metric']} is a point figure: set year"))
        if start is not None and end is not None and start > end:
            add(_at(table, row, "period_order", f"period_start_year {start} is after period_end_year {end}"))
        if report is not None:
            first, last = _report_year_range(report)
            for column, value in (("year", year), ("period_start_year", start), ("period_end_year", end)):
                if value is not None and first is not None and not first <= value <= last:
                    add(_at(table, row, "year_out_of_range",
                            f"{column} {value} is outside the years report {row['report_id']!r} covers ({first}-{last})"))
        value = _float(row["value"])
        if value is None:
            if row["value"] == "":
                add(_at(table, row, "value_missing", "value is empty: a seed row holds a number the report states (a segment without one is a claim, not a figure)"))
            continue
        if row["metric"] in SPLIT_METRICS and unit is not None and unit["quantity"] == "ratio" and not 0 <= value <= 100:
            add(_at(table, row, "share_out_of_range", f"a {row['metric']} of {row['value']} % is outside 0-100"))
        _check_quote(table, row, value, unit, result)
        if unit is not None and row["unit"] and row["metric"]:
            key = (row["report_id"], row["metric"], row["dimension"], _resolve_segment(row["dimension"], row["segment"], segments, synonyms) or row["segment"],
                   row["region"], row["year"], row["period_start_year"], row["period_end_year"], row["qualifier"],
                   unit["quantity"], unit["currency"])
            by_key[key].append((row, value * float(unit["multiplier_to_base"] or 1)))
    for key, rows in by_key.items():
        (first, first_value), *restatements = rows
        for row, value in restatements:
            if not same_value(first_value, value):
                add(_at(table, row, "contradictory_figures",
                        f"figure {row['figure_id']} ({row['value_as_published'] or row['value']}) disagrees with figure "
                        f"{first['figure_id']} on line {first.line} ({first['value_as_published'] or first['value']}) "
                        f"for the same {key[1]} of {key[3]} in {key[5] or key[6] + '-' + key[7]}"))


def _check_quote(table, row, value, unit, result: ValidationResult) -> None:
    add = result.problems.append
    published, quote = row["value_as_published"], row["quote"]
    if not quote.strip():
        add(_at(table, row, "quote_missing", "quote is empty: every figure needs the sentence that states it"))
        return
    if not published:
        add(_at(table, row, "value_as_published_missing", "value_as_published is empty: write the number as the report prints it"))
    elif published not in quote:
        add(_at(table, row, "value_not_in_quote", f"the value as published {published!r} does not occur in the quote {quote!r}"))
    if published and unit is not None:
        amount = parse_amount(published)
        if amount is None:
            add(_at(table, row, "value_unparseable", f"cannot read {published!r} as a quantity with its unit (e.g. 'US$ 5.4 billion', '13.4%', '720 000 tons')"))
        else:
            expected = value * float(unit["multiplier_to_base"] or 1)
            if amount.quantity != unit["quantity"]:
                add(_at(table, row, "unit_mismatch", f"{published!r} is a {amount.quantity} figure but unit {row['unit']!r} is {unit['quantity']}"))
            elif unit["quantity"] == "ratio" and same_value(value * 100, amount.base_value) and not same_value(value, amount.base_value):
                add(_at(table, row, "percent_as_fraction", f"value {row['value']} looks like a fraction; the report prints {published!r}: write {amount.number:g} with unit percent"))
            elif not same_value(expected, amount.base_value):
                add(_at(table, row, "value_mismatch", f"value {row['value']} {row['unit']} does not match {published!r} as published"))
            elif amount.currency and unit["currency"] and amount.currency != unit["currency"]:
                add(_at(table, row, "currency_mismatch", f"{published!r} is in {amount.currency} but unit {row['unit']!r} is {unit['currency']}"))
    document = result.documents.get(row["report_id"])
    if document is not None and not document.contains(quote):
        add(_at(table, row, "quote_not_in_document",
                f"the quote does not occur in {document.path.name} (markup removed, whitespace collapsed): {quote[:90]!r}"))


def _check_claims(table, reports, segments, synonyms, result: ValidationResult, known: Known) -> None:
    if table is None:
        return
    add = result.problems.append
    seen: dict[str, int] = {}
    for row in table.rows:
        if row["claim_id"] in seen:
            add(_at(table, row, "duplicate_id", f"claim_id {row['claim_id']!r} already used on line {seen[row['claim_id']]}"))
        seen.setdefault(row["claim_id"], row.line)
        if row["report_id"] not in reports and known.reports:
            add(_at(table, row, "unknown_report", f"report_id {row['report_id']!r} is not in seeds/reports.csv" + _suggest(row["report_id"], list(reports))))
        if row["claim_type"] not in CLAIM_TYPES:
            add(_at(table, row, "unknown_claim_type", f"claim_type {row['claim_type']!r}" + _suggest(row["claim_type"], list(CLAIM_TYPES))))
        found = _segment_problem(table, row, row["dimension"], row["segment"], segments, synonyms) if known.segments else None
        if found:
            add(found)
        if not row["quote"].strip():
            add(_at(table, row, "quote_missing", "quote is empty: every claim needs the sentence that makes it"))
            continue
        document = result.documents.get(row["report_id"])
        if document is not None and not document.contains(row["quote"]):
            add(_at(table, row, "quote_not_in_document",
                    f"the quote does not occur in {document.path.name} (markup removed, whitespace collapsed): {row['quote'][:90]!r}"))


def _report_year_range(report: SeedRow) -> tuple[int | None, int | None]:
    """Years a report speaks of: from the first year of its history to its last forecast year."""
    first, end = _int(report["history_start_year"]), _int(report["forecast_end_year"])
    if first is None or end is None:
        return None, None
    return first, end


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
