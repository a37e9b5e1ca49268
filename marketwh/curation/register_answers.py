"""`marketwh register`: what a person is asked for a report's row, what an answer must satisfy, and
what may be suggested.

An answer is checked with the seed reader's own rule for its cell and the vocabulary a market or
geography must come from. Suggestions come from the document's name and words only; no year or other
figure is ever suggested. An optional column (`edition_sequence`) is an option only, never a question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .documents import ReportDocument
from .seedfiles import cell_problem  # the seed reader's own rule for one cell
from .validation.origin import NONE_STATED, licence_problem
from .validation.reports import STATUSES
from .vocabulary import Vocabulary

# what a curator may say and usually need not: kept from the row when not given, cleared by ''
OPTIONAL_COLUMNS = ("edition_sequence",)
MAY_BE_EMPTY = ("history_start_year", "base_year", "forecast_start_year", "forecast_end_year", "currency")
QUESTIONS = {
    "report_id": "report id: one document, one edition (lowercase, e.g. bri_separator_2024)",
    "series_id": "series id: shared by every edition of this report",
    "edition": "edition, as the publisher names it (e.g. its forecast window 2024-2033, or the date)",
    "publisher_label": "publisher's short label for chart legends",
    "geography": "geography: a region or country key of seeds/segments.csv",
    "market": "market: a market_key of seeds/markets.csv (add its row there first for a new market)",
    "history_start_year": "first year the report gives figures for (Enter: it states none)",
    "base_year": "base year: its last actual, non-forecast year (Enter: it states none)",
    "forecast_start_year": "first forecast year (Enter: it states none)",
    "forecast_end_year": "last forecast year (Enter: it states none)",
    "currency": "currency of its money values as published, ISO 4217 such as USD (Enter: none, volumes only)",
    "licence": "licence the document states for reuse: an SPDX id such as CC-BY-4.0, or none-stated",
    "reuse_permitted": "does that licence permit reuse? true or false (none-stated: false)",
    "edition_sequence": "a whole number ordering this edition among its series' editions where their dates published "
    "cannot (they tie at their precision, or one prints none): the newer edition has the larger number; '' clears it",
}
# open licences whose terms permit reuse (with attribution); a licence outside this list is asked about
_OPEN_LICENCE = re.compile(r"^(?:CC-BY(?:-SA)?-[0-9.]+|CC0-1\.0|ODC-By-1\.0|ODbL-1\.0|PDDL-1\.0|OGL-UK-3\.0)$")


@dataclass(frozen=True)
class Question:
    """One value the front matter cannot give, as a person is asked for it."""

    column: str
    text: str
    default: str | None  # derived from the document's name or words; None when there is no honest one
    choices: tuple[str, ...] = ()
    check: Callable[[str], str | None] = field(default=lambda answer: None, compare=False)  # why an answer is refused


Ask = Callable[[Question], str]


def answer_check(column: str, vocabulary: Vocabulary, identifier: bool) -> Callable[[str], str | None]:
    """Why an answer for `column` is refused (None when it is not): the seed reader's cell rules, and the
    vocabulary a market or geography must come from."""
    kind = "integer" if column.endswith("_year") or column == "edition_sequence" else "string"
    longest = vocabulary.thresholds.get("publisher_label_max_length")

    def check(answer: str) -> str | None:
        if not answer and column not in (*MAY_BE_EMPTY, *OPTIONAL_COLUMNS, "status_reason"):
            return "a value is needed"
        found = cell_problem(column, kind, answer, identifier)
        if found:
            return found[1]
        if column == "market" and vocabulary.markets and answer not in vocabulary.markets:
            return f"not a market_key of seeds/markets.csv ({', '.join(vocabulary.markets)}); add the market's row there first"
        if column == "geography" and vocabulary.regions and answer not in vocabulary.regions:
            return f"not a region or country key of seeds/segments.csv (e.g. {', '.join(list(vocabulary.regions)[:4])})"
        if column == "status" and answer not in STATUSES:
            return f"not one of {', '.join(STATUSES)}"
        if column == "licence":
            return licence_problem(answer)
        if column == "reuse_permitted" and answer not in ("true", "false"):
            return "true or false"
        if column == "publisher_label" and longest is not None and len(answer) > longest:
            return f"{len(answer)} characters, more than {longest:g} (publisher_label_max_length)"
        return None

    return check


def suggestion(column: str, values: dict[str, str], document: ReportDocument, vocabulary: Vocabulary) -> str | None:
    """A default a person may accept, from the document's file name and words; never a year or figure."""
    stem = document.path.stem
    if column == "report_id":
        return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") or None
    if column == "series_id":
        return re.sub(r"(_[0-9]{4})+$", "", values.get("report_id", "")) or None
    if column == "edition":
        window = re.search(r"([0-9]{4}-[0-9]{4})$", stem)
        return window[1] if window else (values.get("date_published") or None)
    if column == "publisher_label":
        publisher, longest = values.get("publisher", ""), vocabulary.thresholds.get("publisher_label_max_length", 24)
        return publisher if publisher and len(publisher) <= longest and not re.search(r"[(;,]", publisher) else None
    if column == "licence":  # "CC BY 4.0" in the terms of use is the SPDX id CC-BY-4.0
        stated = re.search(r"\bCC[ -]BY(?:[ -](SA))?[ -]([0-9]\.[0-9])\b", values.get("terms_of_use", ""))
        return f"CC-BY-{stated[1] + '-' if stated[1] else ''}{stated[2]}" if stated else NONE_STATED
    if column == "reuse_permitted":
        return "true" if _OPEN_LICENCE.match(values.get("licence", "")) else "false"
    if column == "geography":
        words = " ".join([values.get("title", ""), *(document.blocks[0].headings if document.blocks else ())]).casefold()
        named = {key for key, row in vocabulary.regions.items() if re.search(rf"\b{re.escape(row['display_name'].casefold())}\b", words)}
        return named.pop() if len(named) == 1 else None
    return None
