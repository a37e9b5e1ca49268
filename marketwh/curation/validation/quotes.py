"""Rules of a quote, for figures and claims alike: plain text (no markup), standing in the report's
document as whole sentences (or a whole table row, heading or list line), and stating what the row
says it states.

What a quote must name, and where: a figure's year (or both years of its period), its segment
(unless `total`) and its region (unless `global`) must be named in the quote itself or in a heading
the quote stands under. Headings are where reports state the scope their sentences leave out (QY's
"Global battery anode market, 2020-2027"; CNCIC's "China's anode material shipments"); a sentence
elsewhere in the document would let a quote borrow a context that is not about it, so it does not
count. The `section` column stays a label for people.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..documents import ReportDocument, normalize_text
from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .common import ValidationResult, at

_WHITESPACE = re.compile(r"\s+")


def check_quote_text(table: SeedTable, row: SeedRow, result: ValidationResult) -> list | None:
    """The quote is plain text and whole sentences of its document: its places in the document
    (`ReportDocument.occurrences`), or None when it is not usable."""
    add = result.problems.append
    quote = row["quote"]
    if normalize_text(quote) != _WHITESPACE.sub(" ", quote).strip():
        add(
            at(
                table,
                row,
                "quote_has_markup",
                "the quote holds markup (tags or entities such as &amp;): write the sentence as the page reads, plain text",
            )
        )
        return None
    document = result.documents.get(row["report_id"])
    if document is None:
        return None
    places = document.occurrences(quote)
    if not places:
        add(
            at(
                table,
                row,
                "quote_not_in_document",
                f"the quote does not occur in {document.path.name} (markup removed, whitespace collapsed): {quote[:90]!r}",
            )
        )
        return None
    if not document.is_whole_sentence(places):
        add(
            at(
                table,
                row,
                "quote_not_a_sentence",
                f"the quote is part of a sentence of {document.path.name}: quote the whole sentence (or table row) it stands in",
            )
        )
        return None
    return places


def check_named(table: SeedTable, row: SeedRow, places: list, vocabulary: Vocabulary, result: ValidationResult) -> None:
    """The row's years, segment and region are named in its quote or a heading above one of its places."""
    context = [row["quote"], *ReportDocument.headings_of(places)]
    years = [row[column] for column in ("year", "period_start_year", "period_end_year") if row[column]]
    for year in years:
        if not any(_year_pattern(year).search(text) for text in context):
            result.problems.append(
                at(table, row, "year_not_stated", f"year {year} is not named in the quote or a heading above it: check the year")
            )
    subjects = [(row["dimension"], row["segment"], "segment")]
    if row["region"]:
        subjects.append(("region", row["region"], "region"))
    for dimension, name, what in subjects:
        if name in ("total", "global") or not name:
            continue
        names, pattern = _names_of(vocabulary, dimension, name)
        if names and not any(pattern.search(text) for text in context):
            result.problems.append(
                at(
                    table,
                    row,
                    f"{what}_not_stated",
                    f"{what} {name!r} is not named in the quote or a heading above it "
                    f"(by any of: {', '.join(sorted(names)[:6])}); check the {what}, or add the report's wording "
                    "to seeds/segment_synonyms.csv",
                )
            )


@lru_cache(maxsize=4096)
def _year_pattern(year: str) -> re.Pattern:
    return re.compile(rf"(?<!\d){re.escape(year)}(?!\d)")


def _names_of(vocabulary: Vocabulary, dimension: str, name: str) -> tuple[set[str], re.Pattern]:
    """Every name of the segment `name` stands for (key, key with spaces, display name, synonyms),
    and one pattern finding any of them as whole words; worked out once per vocabulary."""
    cache = vocabulary.memo.setdefault("names_of_segment", {})
    if (dimension, name) not in cache:
        names = _segment_names(vocabulary, dimension, name)
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        cache[dimension, name] = names, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return cache[dimension, name]


def _segment_names(vocabulary: Vocabulary, dimension: str, name: str) -> set[str]:
    for candidate in (dimension,) if dimension != "region" else ("region", "country"):
        key = vocabulary.resolve_segment(candidate, name)
        if key is None:
            continue
        row = vocabulary.segments[candidate][key]
        synonyms = {s for (d, s), k in vocabulary.synonyms.items() if d == candidate and k == key}
        return {key, key.replace("_", " "), row["display_name"], *synonyms} - {""}
    return set()  # an unknown segment is its own problem
