"""Rules of a quote, for figures and claims alike: plain text (no markup), standing in the report's
document as whole sentences (or a whole table row, heading or list line), and stating what the row
says it states.

What a quote must name, and where:
- a figure's year (or both years of its period) is a year the quote names. Only a quote that names
  no year at all takes it from the nearest heading above it that names a year, and only when that
  heading states exactly this year (or this period: "Global battery anode market, 2020-2027" is the
  period 2020-2027, not the year 2020 or 2027). A quote that says "In 2020" is about 2020 whatever
  its headings span, so a year borrowed from a heading can never contradict the sentence itself;
- its segment (unless `total`) and region (unless `global`) are named in the quote, or in a heading
  the quote stands under, by a name or synonym of seeds/segments.csv and segment_synonyms.csv.
Headings are where reports state the scope their sentences leave out (CNCIC's "China's anode
material shipments"); a sentence elsewhere in the document would let a quote borrow a context that
is not about it, so it does not count, unless the seed cites it: when the row's `section` names a
heading of the document that the quote does not stand under (a table of contents, "Market
Segmentation (by Type)"), that heading and the text under it count as stated too. Otherwise
`section` is a label for people.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..amounts import invisible_in_number
from ..documents import ReportDocument, normalize_text
from ..periods import SOURCE_MEANING, describe, heading_years, periods_of
from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .common import ValidationResult, at

_WHITESPACE = re.compile(r"\s+")


def check_quote_text(table: SeedTable, row: SeedRow, result: ValidationResult) -> list | None:
    """The quote is plain text and whole sentences of its document: its places in the document
    (`ReportDocument.occurrences`), or None when it is not usable."""
    add = result.problems.append
    quote = row["quote"]
    _check_printed_characters(table, row, add)
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
    if quote != _WHITESPACE.sub(" ", quote).strip():  # what is stored must be the text that matched
        add(
            at(
                table,
                row,
                "quote_whitespace",
                "the quote holds a line break, tab or repeated space: write it on one line with single spaces, as the sentence reads",
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


def _check_printed_characters(table: SeedTable, row: SeedRow, add) -> None:
    """A printed number is ASCII digits with nothing invisible inside it: an invisible format character
    (U+200F, U+200B, U+2060, U+FEFF...) lets "1<U+200F>5.4%" show 15.4 % and pass as "5.4%"; a digit
    Python reads but dbt does not ("５.４", "٢٠٢٤") passes here and fails the build."""
    for column in ("value_as_published", "quote"):
        invisible = invisible_in_number(row[column], anywhere=column == "value_as_published")
        if invisible:
            add(
                at(
                    table,
                    row,
                    "invisible_character",
                    f"column {column}: an invisible format character ({invisible}) stands inside a printed number; "
                    "the page shows one number and the checks would read another: remove it",
                )
            )
    published = row["value_as_published"]
    if not published.isascii() and any(character.isdigit() and not character.isascii() for character in published):
        add(at(table, row, "non_ascii_digit", f"value_as_published {published!r} holds digits other than ASCII 0-9: write them as 0-9"))


def check_named(
    table: SeedTable,
    row: SeedRow,
    places: list,
    vocabulary: Vocabulary,
    result: ValidationResult,
    market: str | None = None,
    forecast: tuple[str, str] | None = None,
) -> None:
    """The row's years, segment and region are named in its quote or a heading above one of its places;
    a period is one the quote, the report's declared forecast period or its section gives (periods.py)."""
    headings = ReportDocument.headings_of(places)
    cited = _cited_elsewhere(result.documents.get(row["report_id"]), row["section"], headings)
    context = [row["quote"], *headings, *cited]
    if row.get("period_start_year") and row.get("period_end_year") and not row.get("year"):
        _check_period(table, row, places, cited, forecast, result)
        years = []
    else:
        years = [row[column] for column in ("year", "period_start_year", "period_end_year") if row.get(column)]
        if row.get("period_source"):
            result.problems.append(at(table, row, "period_source", "period_source is set but the figure has no period: leave it empty"))
    quote_years = _YEAR.findall(row["quote"])
    heading_years = _nearest_heading_years(places)
    for year in years:
        if quote_years:
            stated, where = year in quote_years, f"the quote names {', '.join(dict.fromkeys(quote_years))}"
        else:
            stated = (heading_years == set(years) and year in heading_years) or any(_year_pattern(year).search(text) for text in cited)
            where = "the quote names no year and the nearest heading above it " + (
                f"names {', '.join(sorted(heading_years))}" if heading_years else "names none"
            )
        if not stated:
            result.problems.append(at(table, row, "year_not_stated", f"year {year} is not stated: {where}; check the year"))
    _check_cited(table, row, context, result.problems.append)
    _check_cued_dimension(table, row, vocabulary, market, result.problems.append)
    subjects = [(row["dimension"], row["segment"], "segment")]
    if row["region"]:
        subjects.append(("region", row["region"], "region"))
    for dimension, name, what in subjects:
        if name in ("total", "global") or not name:
            continue
        names, pattern = _names_of(vocabulary, dimension, name, market)
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


def _check_period(table: SeedTable, row: SeedRow, places: list, cited: list[str], forecast, result: ValidationResult) -> None:
    """The period is one periods_of gives for the quote, and period_source says which."""
    add = result.problems.append
    headings = [list(reversed(block.headings)) if block else [] for _, _, block in places]
    candidates = periods_of(row["quote"], headings, forecast, cited)
    period = f"{row['period_start_year']}-{row['period_end_year']}"
    matching = [c for c in candidates if (c.start, c.end) == (row["period_start_year"], row["period_end_year"])]
    if not matching:
        add(at(table, row, "period_not_stated", f"period {period} is not stated: {describe(row['quote'], candidates)}; check the period"))
        return
    source = row.get("period_source", "")
    if source not in {c.source for c in matching}:
        sources = " or ".join(c.source for c in matching)
        add(
            at(
                table,
                row,
                "period_source",
                f"period {period} comes from {SOURCE_MEANING[matching[0].source]}: period_source must be {sources}, not {source!r}",
            )
        )


def _check_cited(table: SeedTable, row: SeedRow, context: list[str], add) -> None:
    """A figure quoted from another publisher names that publisher in its quote or a heading above it,
    and its own date, when the row gives one, as the quote prints it."""
    publisher, date = row.get("cited_publisher", "").strip(), row.get("cited_date", "").strip()
    if publisher and not any(publisher.casefold() in text.casefold() for text in context):
        add(
            at(
                table,
                row,
                "cited_publisher_not_stated",
                f"cited publisher {publisher!r} is not named in the quote or a heading above it: write it as the document names it",
            )
        )
    if date and not publisher:
        add(
            at(
                table,
                row,
                "cited_date_without_publisher",
                "cited_date is set but cited_publisher is empty: name whom the figure is cited from",
            )
        )
    elif date and date.casefold() not in row["quote"].casefold():
        add(at(table, row, "cited_date_not_stated", f"cited date {date!r} does not stand in the quote: write it as the quote prints it"))


def _cited_elsewhere(document: ReportDocument | None, section: str, headings: list[str]) -> list[str]:
    """The text of the section a row cites, when its quote does not stand under that heading (a table of
    contents elsewhere in the document). Under its own heading the heading is read already, and the
    sentences beside the quote are not about it: they never count."""
    if document is None or not section or normalize_text(section).casefold() in {h.casefold() for h in headings}:
        return []
    return document.section_texts(section)


# a year is four ASCII digits; any digit touching it (\d) makes it part of a longer number
_YEAR = re.compile(r"(?<![\d.,])(?:19|20|21)[0-9]{2}(?!\d|[.,]\d)")


def _nearest_heading_years(places: list) -> set[str]:
    """The years of the nearest heading above the quote that names any (innermost first, every place)."""
    for _, _, block in places:
        for heading in reversed(block.headings if block else ()):
            if years := set(heading_years(heading)):
                return years
    return set()


@lru_cache(maxsize=4096)
def _year_pattern(year: str) -> re.Pattern:
    return re.compile(rf"(?<!\d){re.escape(year)}(?!\d)")


def _names_of(vocabulary: Vocabulary, dimension: str, name: str, market: str | None) -> tuple[set[str], re.Pattern]:
    """Every name of the segment `name` stands for in `market` (key, key with spaces, display name,
    synonyms), and one pattern finding any of them as whole words; worked out once per vocabulary."""
    cache = vocabulary.memo.setdefault("names_of_segment", {})
    if (dimension, name, market) not in cache:
        names = _segment_names(vocabulary, dimension, name, market)
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        cache[dimension, name, market] = names, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return cache[dimension, name, market]


def _segment_names(vocabulary: Vocabulary, dimension: str, name: str, market: str | None) -> set[str]:
    for candidate in (dimension,) if dimension != "region" else ("region", "country"):
        key = vocabulary.resolve_segment(candidate, name, market) or vocabulary.resolve_segment(candidate, name)
        if key is None:
            continue
        row = vocabulary.segments[candidate][key]
        synonyms = {s["synonym"] for s in vocabulary.synonym_rows if s["dimension"] == candidate and s["segment_key"] == key}
        return {key, key.replace("_", " "), row["display_name"], *synonyms} - {""}
    return set()  # an unknown segment is its own problem


def _check_cued_dimension(table: SeedTable, row: SeedRow, vocabulary: Vocabulary, market: str | None, add) -> None:
    """A split whose quote opens with a dimension cue of seeds/cue_words.csv ("By application, stationary
    energy storage held 71.8%") is of that dimension: the cue `marketwh extract` drafts by, read alike."""
    cues = vocabulary.cues("dimension", market)
    if not cues or row.get("dimension") in ("", "total", "region", "country", "company") or "segment" not in row:
        return
    quote = row["quote"].lower()
    printed = quote.find(row.get("value_as_published", "").lower())
    before = quote[: printed if printed >= 0 else len(quote)]
    found = [(before.rfind(f"{cue},"), cue, meaning) for cue, meaning in cues.items() if re.search(rf"\b{re.escape(cue)},", before)]
    if found:
        _, cue, cued = max(found)
        if cued != row["dimension"]:
            add(
                at(
                    table,
                    row,
                    "dimension_not_cued",
                    f"the quote splits by {cued!r} ('{cue}, ...') but the row's dimension is "
                    f"{row['dimension']!r}: use {cued!r} (a segment of it, or a synonym in seeds/segment_synonyms.csv)",
                )
            )
