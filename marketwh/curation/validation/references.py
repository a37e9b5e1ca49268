"""seeds/reference_documents.csv and seeds/exchange_rates.csv: the numbers the warehouse uses to compare
reports that are not in any report (an exchange rate), held to the same standard as a report's figure.

A reference document is stored under reports/references/ with its origin (publisher, url, dates, licence,
sha256) as a report is; its front matter says what its row says. An exchange rate is a curated figure of
such a document: its quote is whole sentences of the document and prints the rate exactly as the seed
holds it, and the year it averages. The rate keeps the document's direction (7.0809 yuan per U.S. dollar
is base USD, quote CNY; 1.0817 U.S. dollars per euro is base EUR, quote USD): dbt converts either way, and
a rate nobody printed (an inverse rounded by hand) cannot enter. One rate per currency pair and year, in
either direction: two would make a converted value depend on which one a query happened to pick.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...paths import ProjectPaths
from ..amounts import occurs_as_number
from ..documents import ReportDocument
from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .common import (
    Add,
    ValidationResult,
    at,
    check_front_matter,
    check_id,
    check_known,
    check_recorded_sha256,
    read_catalogued_document,
    rows,
)
from .origin import check_origin

FRONT_MATTER_KEYS = ("title", "publisher", "url", "date_published", "date_accessed", "terms_of_use", "attribution")
FRONT_MATTER_OPTIONAL = ("note", "licence", "reuse_permitted")


def check_reference_documents(table: SeedTable | None, paths: ProjectPaths, result: ValidationResult) -> dict[str, ReportDocument]:
    """Each row's stored document, origin and front matter; returns the usable documents by document_id."""
    add = result.problems.append
    documents: dict[str, ReportDocument] = {}
    seen: dict[str, int] = {}
    for row in rows(table):
        check_id(table, row, "document_id", seen, add)
        check_origin(table, row, add)
        document = read_catalogued_document(table, row, paths, result, f"reference document {row['document_id']!r}")
        if document is None:
            continue
        check_front_matter(row, document, FRONT_MATTER_KEYS, FRONT_MATTER_OPTIONAL, "seeds/reference_documents.csv", add)
        advice = "the document changed after its rates were curated; re-check the quotes, then record its hash"
        check_recorded_sha256(table, row, document, advice, add)
        documents[row["document_id"]] = document
    return documents


def reference_document_paths(table: SeedTable | None) -> set[str]:
    """The stored documents the rows name (a document under reports/ that no row names is unregistered)."""
    return {Path(row["document_path"]).as_posix() for row in rows(table) if row["document_path"]}


def check_exchange_rates(
    table: SeedTable | None, documents: dict[str, ReportDocument], known_documents: list[str], vocabulary: Vocabulary, add: Add
) -> None:
    """Each rate: its document, its currencies (those seeds/units.csv counts money in), a rate above zero,
    a plausible year, one rate per pair and year, and a quote of its document that prints the rate and the year."""
    currencies = sorted({unit["currency"].upper() for unit in vocabulary.units.values() if unit["currency"]})
    low, high = vocabulary.thresholds.get("year_min"), vocabulary.thresholds.get("year_max")
    seen: dict[str, int] = {}
    pairs: dict[tuple[frozenset[str], str], int] = {}
    for row in rows(table):
        check_id(table, row, "rate_id", seen, add)
        known = check_known(
            table, row, "document_id", known_documents, "unknown_reference_document", "in seeds/reference_documents.csv", add
        )
        sides = [
            check_known(table, row, side, currencies, "unknown_currency", "a currency of seeds/units.csv", add)
            for side in ("base_currency", "quote_currency")
        ]
        if all(sides) and row["base_currency"] == row["quote_currency"]:
            add(
                at(
                    table,
                    row,
                    "exchange_rate_same_currency",
                    f"base_currency and quote_currency are both {row['base_currency']}: a rate prices one currency in another",
                )
            )
        try:
            rate = float(row["rate"])
        except ValueError:
            rate = None  # the seed reader names the bad type
        if rate is not None and rate <= 0:
            add(at(table, row, "exchange_rate_not_positive", f"rate {row['rate']} is not above zero: write the rate the document prints"))
        year = row["year"]
        if year.isdigit() and low is not None and high is not None and not low <= int(year) <= high:
            add(
                at(
                    table,
                    row,
                    "year_implausible",
                    f"year {year} is outside {low:g}-{high:g} (year_min, year_max in seeds/audit_thresholds.csv)",
                )
            )
        pair = (frozenset((row["base_currency"], row["quote_currency"])), year)
        if pair in pairs:
            add(
                at(
                    table,
                    row,
                    "exchange_rate_duplicate",
                    f"{row['base_currency']}/{row['quote_currency']} in {year} already has a rate on line {pairs[pair]} "
                    "(in either direction): keep one, so a converted value does not depend on which rate a query picks",
                )
            )
        else:
            pairs[pair] = row.line
        if known and row["document_id"] in documents:
            _check_quote(table, row, documents[row["document_id"]], vocabulary, add)


def _check_quote(table: SeedTable, row: SeedRow, document: ReportDocument, vocabulary: Vocabulary, add: Add) -> None:
    quote = row["quote"].strip()
    places = document.occurrences(quote) if quote else []
    if not places or not document.is_whole_sentence(places):
        where = "is part of a sentence of" if places else "does not occur in"
        add(
            at(
                table,
                row,
                "quote_not_in_document",
                f"quote {where} {document.path.name}: copy the whole sentence that prints the rate: {quote[:90]!r}",
            )
        )
        return
    if not occurs_as_number(row["rate"], quote):
        add(
            at(
                table,
                row,
                "value_not_in_quote",
                f"rate {row['rate']!r} is not printed in the quote: write it exactly as the document does (its decimals too)",
            )
        )
    _check_direction(table, row, quote, vocabulary, add)
    if row["year"] and not re.search(rf"(?<!\d){re.escape(row['year'])}(?!\d)", quote):
        add(
            at(
                table,
                row,
                "year_not_in_quote",
                f"year {row['year']} is not in the quote: quote the sentence that says which year the rate averages",
            )
        )


def _check_direction(table: SeedTable, row: SeedRow, quote: str, vocabulary: Vocabulary, add: Add) -> None:
    """The quote says which currency is counted per which ("7.0809 yuan per U.S. dollar"), and it is the
    row's: quote_currency before "per", base_currency after it (seeds/unit_spellings.csv names them). A
    rate entered the wrong way round would convert every value by its square's error."""
    counted, _, priced = quote.rpartition(" per ")

    def names(text: str) -> set[str]:
        return {
            base.upper()
            for spelling, base in vocabulary.spellings.currencies.items()
            if re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", text, re.IGNORECASE)
        }

    if not counted or row["quote_currency"] not in names(counted) or row["base_currency"] not in names(priced):
        add(
            at(
                table,
                row,
                "exchange_rate_direction",
                f"the quote does not print the rate as {row['quote_currency']} per {row['base_currency']}: base_currency is the currency "
                "after 'per' in the quote ('yuan per U.S. dollar': base USD, quote CNY), quote_currency the one before it; "
                "a currency the quote spells otherwise needs its spelling in seeds/unit_spellings.csv",
            )
        )
