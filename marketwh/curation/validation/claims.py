"""Rules of seeds/report_claims.csv: unique ids, a known report, claim type and segment, and a quote
that stands in the report's document."""

from __future__ import annotations

from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .common import ValidationResult, at, check_id, check_known
from .quotes import check_named, check_quote_text
from .vocabulary import segment_problem

CLAIM_TYPES = ("segment_listed", "country_listed", "key_company", "ranking", "top_five_by_revenue", "silicon_anode_maker")


def check_claims(table: SeedTable | None, reports: dict[str, SeedRow], vocabulary: Vocabulary, result: ValidationResult) -> None:
    if table is None:
        return
    add = result.problems.append
    known = vocabulary.known
    seen: dict[str, int] = {}
    for row in table.rows:
        check_id(table, row, "claim_id", seen, add)
        if known.reports:
            check_known(table, row, "report_id", list(reports), "unknown_report", "in seeds/reports.csv", add)
        check_known(table, row, "claim_type", list(CLAIM_TYPES), "unknown_claim_type", "a known claim type", add)
        found = segment_problem(vocabulary, table, row, row["dimension"], row["segment"]) if known.segments else None
        if found:
            add(found)
        if not row["quote"].strip():
            add(at(table, row, "quote_missing", "quote is empty: every claim needs the sentence that makes it"))
            continue
        if places := check_quote_text(table, row, result):
            check_named(table, row, places, vocabulary, result)
