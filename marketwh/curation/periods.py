"""Which period a stated rate is about, read as reports state it: the one rule `marketwh extract`
drafts with and the validator checks with, so a draft the validator refuses cannot happen.

A rate (a CAGR) covers a period. Reports print it whole ("during 2025-2032"), or only its end ("a
22.0 % CAGR through 2031", "by 2030"), or not at all ("over the forecast period", "a CAGR of 10.5 %").
Where the sentence does not print a year, the period is the one the report declares for its forecast
(seeds/reports.csv forecast_start_year..forecast_end_year) or the one the heading the sentence stands
under names ("Global battery anode market, 2020-2027"), never one we work out from the values. Each
candidate says where it came from (`source`), and the served row carries that source, so an analyst
sees which periods the report printed and which it only declared:
- `printed`: both years stand in the sentence;
- `report_forecast_period`: the start (or both years) is the report's declared forecast period; the
  end, when the sentence prints one after "through", "by", "to" or "until", is that printed year;
- `section`: the heading the sentence stands under (or the section the row cites) names the period,
  or its start when the sentence prints only the end.
A sentence that names a year is about that year: a period whose years the sentence contradicts is
never taken from the report or the heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PERIOD_SOURCES = ("printed", "report_forecast_period", "section")
SOURCE_MEANING = {
    "printed": "the sentence prints both years",
    "report_forecast_period": "the report's declared forecast period (seeds/reports.csv forecast_start_year..forecast_end_year)",
    "section": "the heading the quote stands under (or the section it cites)",
}
# a year is four ASCII digits; a digit, dot or comma touching it makes it part of a longer number
YEAR = re.compile(r"(?<![\d.,])(?:19|20|21)[0-9]{2}(?!\d|[.,]\d)")
_END_WORDS = re.compile(r"\b(?:through|thru|by|to|until|till|up to)\s+(?:the\s+end\s+of\s+)?$", re.IGNORECASE)
_FORECAST_PERIOD = re.compile(r"\bforecast(?:ed)? period\b", re.IGNORECASE)
# a rate over a stretch the sentence leaves open ("20% a year in the coming years"): neither the heading's
# nor the report's forecast period, and no period a curator can seed
_OPEN_PERIOD = re.compile(
    r"\b(?:in|over|during)\s+the\s+(?:coming|next(?:\s+few)?|following)\s+(?:years|decades?)\b|\bin\s+the\s+years\s+ahead\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    start: str
    end: str
    source: str

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


# a year printed after a quarter, a half or a month names when a heading's text was written (an edition:
# "Lithium Outlook Q1 2024", "Market update, March 2024"), not the year its figures are of
_EDITION_BEFORE = re.compile(
    r"\b(?:Q[1-4]|H[12]|(?:Jan|Febr)uary|March|April|May|June|July|August|(?:Sept|Nov|Dec)ember|October)\s+$", re.IGNORECASE
)
# a heading that states a figure itself ("Market Size to Hit USD 54.8 Billion by 2034"): its year is that figure's
_HEADING_FIGURE = re.compile(r"[0-9]\s?(?:%|percent\b|billion\b|million\b|trillion\b)", re.IGNORECASE)


def leaves_period_open(quote: str) -> bool:
    """A quote that names no year and states its rate over a stretch it leaves open ("in the coming years")."""
    return not YEAR.search(quote) and _OPEN_PERIOD.search(quote) is not None


def heading_years(heading: str) -> list[str]:
    """The years a heading names as the time of the text under it: none from a heading that states a
    figure (the year is that figure's), and no year of an edition ("Q1 2024"). The one rule extract
    drafts a year from a heading by and the validator accepts one by."""
    if _HEADING_FIGURE.search(heading):
        return []
    years = YEAR.finditer(heading)
    return [year.group(0) for year in years if not _EDITION_BEFORE.search(heading, max(0, year.start() - 12), year.start())]


def _span(years: Iterable[str]) -> tuple[str, str] | None:
    """The period a heading or section names: exactly two distinct years, earlier first."""
    distinct = sorted(set(years))
    return (distinct[0], distinct[1]) if len(distinct) == 2 else None


def _printed_end(quote: str, years: list[str]) -> str:
    """The one year the sentence prints as the end of something ("through 2031", "by 2030")."""
    if len(set(years)) != 1:
        return ""
    for match in YEAR.finditer(quote):
        if _END_WORDS.search(quote, max(0, match.start() - 30), match.start()):
            return match.group(0)
    return ""


def periods_of(quote: str, headings: Iterable[Iterable[str]], forecast: tuple[str, str] | None, cited: Iterable[str] = ()) -> list[Period]:
    """Every period a rate stated by `quote` can be about, the likeliest first.

    `headings`: for each place the quote stands in, its headings, innermost first; `forecast`: the
    report's declared (forecast_start_year, forecast_end_year), None when it declares none; `cited`:
    the text of a section the row cites that the quote does not stand under."""
    years = YEAR.findall(quote)
    found: list[Period] = []
    if leaves_period_open(quote):
        return found
    add = lambda start, end, source: found.append(Period(start, end, source))  # noqa: E731
    ordered = sorted(set(years))
    for index, start in enumerate(ordered):
        for end in ordered[index + 1 :]:
            add(start, end, "printed")
    end = _printed_end(quote, years)
    section_spans = [span for span in (_nearest_span(places) for places in headings) if span]
    for text in cited:  # a section the row cites elsewhere (a table of contents): any two years it names
        named = sorted(set(YEAR.findall(text)))
        section_spans += [(a, b) for i, a in enumerate(named) for b in named[i + 1 :]]
    if forecast and all(forecast) and forecast[0] < forecast[1]:
        if not years or _FORECAST_PERIOD.search(quote):
            add(forecast[0], forecast[1], "report_forecast_period")
        elif end and forecast[0] < end <= forecast[1]:
            add(forecast[0], end, "report_forecast_period")
    for start, stop in section_spans:
        if not years:
            add(start, stop, "section")
        elif end and start < end == stop:
            add(start, end, "section")
    return list(dict.fromkeys(found))


def _nearest_span(headings: Iterable[str]) -> tuple[str, str] | None:
    """The period of the nearest heading (innermost first) that names a year, if it names a period."""
    for heading in headings:
        if years := heading_years(heading):
            return _span(years)
    return None


def draft_period(
    quote: str, headings: Iterable[str], forecast: tuple[str, str] | None, printed_first: tuple[str, str] | None = None
) -> Period | None:
    """The period `marketwh extract` drafts for a rate: the one the sentence prints beside it
    (`printed_first`, when the sentence prints several), else the likeliest of `periods_of`. A rate
    stated "over the forecast period", or ending at a printed year ("through 2031"), is of the report's
    declared forecast period; a rate whose sentence names no year nor the forecast period is of the
    heading it stands under ("... market, 2024-2033: ... a CAGR of about 19.22%"), as curators read it,
    and of the declared forecast period only when no heading names one."""
    if printed_first:
        return Period(*printed_first, "printed")
    candidates = periods_of(quote, [list(headings)], forecast)
    if not YEAR.search(quote) and not _FORECAST_PERIOD.search(quote):
        candidates.sort(key=lambda period: period.source != "section")
    return candidates[0] if candidates else None


def describe(quote: str, candidates: list[Period]) -> str:
    """Why a period was refused, naming what the quote, report and headings do give."""
    years = list(dict.fromkeys(YEAR.findall(quote)))
    said = f"the quote names {', '.join(years)}" if years else "the quote names no year"
    if not candidates:
        return said + "; neither the report's forecast period (seeds/reports.csv) nor the heading above it gives a period it can be"
    return said + "; it can be " + ", ".join(f"{period} ({period.source})" for period in candidates)


# the words that make the year after them a change's base: "up 74.9% from 2014", "31% higher than in 2022",
# "up 38% on 2022", "40.8 percent more than its 184.4 GWh of 2022"
_BASE_WORDS = re.compile(r"\b(?:than|from|(?<!-)on(?!-)|over|above|below|against|compared|relative|versus|vs)\b", re.IGNORECASE)


def change_year(sentence: str, start: int, end: int) -> str:
    """The year a change (a growth rate) printed at sentence[start:end] is of: the year after it unless a
    comparison word stands between (then that year is the base the change is measured from, never the
    change's own), else the nearest year before it; "" when the sentence names none but a base. The
    validator reads years the same way: a year is the quote's or a heading's, never one worked out (a
    change "from 2014" is 2015's, which only the sentence, its continuation or a heading can say)."""
    for match in YEAR.finditer(sentence, end):
        if not _BASE_WORDS.search(sentence, end, match.start()):
            return match.group(0)
        break
    before = [match for match in YEAR.finditer(sentence, 0, start) if not is_base_year(sentence, match)]
    return before[-1].group(0) if before else ""


def is_base_year(sentence: str, year: re.Match) -> bool:
    """A year right after a comparison word ("from 2014", "than in 2022") or of an earlier turn ("grew again
    in 2021 after falling in 2020"): a base, not a figure's year."""
    return (
        re.search(
            r"\b(?:than(?:\s+in)?|from|on|over|compared\s+(?:with|to)|relative\s+to|after\s+\w+ing\s+in)\s+$",
            sentence[max(0, year.start() - 24) : year.start()],
            re.IGNORECASE,
        )
        is not None
    )
