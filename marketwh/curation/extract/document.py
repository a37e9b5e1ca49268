"""Walking a report document: front matter skipped, headings kept (reports state years and periods in
headings their sentences leave out), markup removed per line as quotes are matched, each line split
into sentences for the sentence readers."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import Problem
from ..documents import normalize_text, read_report_document
from ..periods import leaves_period_open
from ..vocabulary import Vocabulary
from .attribution import attribution_of
from .drafts import Extraction
from .not_drafted import list_not_drafted
from .scan import Context
from .sentence import extract_sentence

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
# No report sentence is this long (the stored reports' longest is under 800 characters); the readers
# are linear in a sentence's length, and a longer one is refused with its line, not read.
MAX_SENTENCE_CHARS = 2_000
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_LIST_MARKER = re.compile(r"^[-*+]\s+")
# a sentence that opens by pointing back ("That was ...", "Its share ...", "One year before that, ...")
# continues the sentence before: what it measures and when are named there
CONTINUATION = re.compile(r"^(?:That|This|Those|These|It|Its|They|Their)\b(?! is expected| report| page| release)|^One year before that\b")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def extract_document(
    path: Path,
    report_id: str = "",
    vocabulary: Vocabulary | None = None,
    market: str | None = None,
    region: str = "",
    forecast: tuple[str, str] | None = None,
) -> Extraction:
    """Propose a draft seed row for every figure the document states. Spellings, units and segment
    names come from the vocabulary seeds (the project's own unless `vocabulary` is given), segments
    from the shared taxonomy and `market`'s, so a draft only names units and segments that exist;
    an amount no unit matches is a problem. `forecast`: the report's declared forecast period
    (forecast_start_year, forecast_end_year), which a rate's period may come from (curation/periods.py)."""
    document = read_report_document(path)
    if vocabulary is None:
        from ...paths import ProjectPaths

        vocabulary = Vocabulary.read(ProjectPaths.default().seeds_dir)
    units = vocabulary.unit_index()
    spellings = vocabulary.spellings
    attribution = attribution_of(vocabulary, market)
    result = Extraction(path)
    report_id = report_id or path.stem
    section = previous = ""
    kinds = {metric: row["kind"] for metric, row in vocabulary.metrics.items()}
    headings: list[str] = []  # outermost first: reports state years and periods in headings their sentences leave out
    in_front_matter = document.raw.startswith("---\n")
    for number, raw_line in enumerate(document.lines, start=1):
        if in_front_matter:
            if number > 1 and raw_line.strip() == "---":
                in_front_matter = False
            continue
        heading = _HEADING.match(raw_line)
        if heading:
            section = normalize_text(heading.group(1))
            level = len(raw_line.strip()) - len(raw_line.strip().lstrip("#"))
            headings = [*headings[: level - 1], section]
        # a list item's marker is markup, not text (the quote rule reads it the same way)
        text = _LIST_MARKER.sub("", normalize_text(heading.group(1) if heading else raw_line))
        if not text:
            continue
        for sentence in _sentences(text):
            if len(sentence) > MAX_SENTENCE_CHARS:
                result.problems.append(
                    Problem(
                        str(path),
                        number,
                        "sentence_too_long",
                        f"a sentence of {len(sentence):,} characters, more than {MAX_SENTENCE_CHARS:,}: not read; "
                        "no report sentence is that long: check the line (a table or list run together?) and draft it by hand",
                    )
                )
                continue
            context = Context(
                line=number, section=section, headings=tuple(reversed(headings)), report_id=report_id, region=region, forecast=forecast
            )
            first = len(result.drafts)
            taken = extract_sentence(sentence, context, attribution, units, spellings, result)
            if previous and CONTINUATION.match(sentence):
                _continue(
                    previous,
                    sentence,
                    result,
                    first,
                    lambda joined, into, at, context=context: extract_sentence(
                        joined, context, attribution, units, spellings, into, start_at=at
                    ),
                )
            _list_yearless(result, first, kinds)
            list_not_drafted(sentence, number, taken, result)
            previous = "" if heading else sentence  # a heading starts a new subject: no sentence continues it
    for index, draft in enumerate(result.drafts, start=1):
        draft.row["figure_id"] = f"{report_id}-draft-{index:03d}"
    return result


_SUBJECT = ("metric", "dimension", "segment", "region", "cited_publisher")
_TIME = ("year", "period_start_year", "period_end_year", "period_source")
_FORECAST = re.compile(r"\b(?:expected|expects|forecast|forecasts|projected|projects|will)\b", re.IGNORECASE)
_NAMES_MARKET = re.compile(r"\bmarket\b", re.IGNORECASE)


def _continue(previous: str, sentence: str, result: Extraction, first: int, read) -> None:
    """A sentence that points back ("That was 40.8 percent more than its 184.4 GWh of 2022") is read again
    after the sentence before; a draft whose year, or subject, that reading changes ("2023", "CATL") takes
    them from it, quoting both sentences as a curator does (the year and subject must stand in the quote).
    A sentence naming the market ("It expects the market to reach ...") keeps the market as its subject;
    a draft the sentence alone states fully keeps its own one-sentence quote."""
    scratch = Extraction(result.path)
    read(f"{previous} {sentence}", scratch, len(previous) + 1)
    alone = result.drafts[first:]
    if len(scratch.drafts) != len(alone):
        return  # the two readings do not pair number for number: keep the sentence's own
    taken = _TIME if _NAMES_MARKET.search(sentence) else (*_TIME, *_SUBJECT)
    for own, joined in zip(alone, scratch.drafts, strict=True):
        if own.row["value_as_published"] == joined.row["value_as_published"] and any(own.row[c] != joined.row[c] for c in taken):
            own.row.update({column: joined.row[column] for column in taken}, quote=joined.row["quote"])


def _list_yearless(result: Extraction, first: int, kinds: dict[str, str]) -> None:
    """An amount, or a change from the year before (a metric of kind growth), that neither its sentence,
    the one it continues, nor a heading gives a year or period ("capacity at 650 gigawatts when this
    decade ends", a year printed as "333", "rose 14% y/y"), or a rate with no period ("20% a year in the
    coming years", periods.py), is nothing a curator can seed: listed with why, never drafted with an
    empty year. A share or a share of growth may be yearless (a curator keeps "the DRC provided 87% of
    the annual growth"), unless it is forecast: a forecast is of a year."""
    kept = []
    for draft in result.drafts[first:]:
        row = draft.row
        kind = kinds.get(row["metric"], "")
        what = "a change" if kind == "growth" else "an amount" if row["unit"] != "percent" else ""
        if kind == "rate" and leaves_period_open(row["quote"]):
            what = "a rate"  # "20% a year in the coming years": of no period a curator can seed (else the curator's to fill)
        if kind in ("share", "ratio") and _FORECAST.search(row["quote"]):
            what = "a forecast"  # "expected to be 18% by the decade's end" (a rate's period is the curator's to fill)
        if what and not (row["year"] or row["period_start_year"] or row["period_end_year"]):
            why = (
                f"{what} with no year or period in its sentence or a heading above it: it needs one; enter it by hand if the text gives one"
            )
            result.not_drafted.append((draft.line, row["value_as_published"], why))
        else:
            kept.append(draft)
    result.drafts[first:] = kept
