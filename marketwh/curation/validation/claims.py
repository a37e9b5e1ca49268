"""Rules of seeds/report_claims.csv: unique ids, a known report, claim type (seeds/claim_types.csv)
and segment of the report's market, and a quote that stands in the report's document."""

from __future__ import annotations

from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .common import ValidationResult, at, check_id, check_known
from .quotes import check_named, check_quote_text
from .vocabulary import segment_problem


def check_claim_ids(table: SeedTable | None, reports: dict[str, SeedRow], vocabulary: Vocabulary, result: ValidationResult) -> None:
    """The rules between claim rows, on every row: one row per claim id, a report of seeds/reports.csv."""
    if table is None:
        return
    add, seen = result.problems.append, {}
    for row in table.rows:
        check_id(table, row, "claim_id", seen, add)
        if vocabulary.known.reports and row["report_id"] not in reports:
            check_known(table, row, "report_id", list(reports), "unknown_report", "in seeds/reports.csv", add)


def check_claim_row(table: SeedTable, row: SeedRow, reports: dict[str, SeedRow], vocabulary: Vocabulary, result: ValidationResult) -> None:
    """The rules of one claim row on its own (with its report's row, document and the vocabulary)."""
    add = result.problems.append
    known = vocabulary.known
    claim_type = vocabulary.claim_types.get(row["claim_type"])
    if known.claim_types:
        check_known(table, row, "claim_type", list(vocabulary.claim_types), "unknown_claim_type", "in seeds/claim_types.csv", add)
    if claim_type is not None and claim_type["dimension"] and row["dimension"] != claim_type["dimension"]:
        add(
            at(
                table,
                row,
                "claim_dimension",
                f"a {row['claim_type']} claim names a {claim_type['dimension']} (seeds/claim_types.csv), not a {row['dimension']}",
            )
        )
    if claim_type is not None and claim_type["ranks"] == "true" and not row["rank"]:
        add(at(table, row, "claim_rank", f"a {row['claim_type']} claim needs a rank, 1 = largest (seeds/claim_types.csv ranks)"))
    report = reports.get(row["report_id"])
    market = report["market"] if report is not None else None
    found = segment_problem(vocabulary, table, row, row["dimension"], row["segment"], market) if known.segments else None
    if found:
        add(found)
    if not row["quote"].strip():
        add(at(table, row, "quote_missing", "quote is empty: every claim needs the sentence that makes it"))
        return
    if places := check_quote_text(table, row, result):
        check_named(table, row, places, vocabulary, result, market)
