"""The words around a number that say what it is: a range, a misprint, a rate, a year-on-year change
or a decline, and the qualifier just before it (seeds/qualifiers.csv, longest first)."""

from __future__ import annotations

import dataclasses
import re

from ..amounts import NUMBER, PER_DENOMINATOR, Amount, Spellings, per_unit_base
from ..vocabulary import UnitIndex
from .attribution import BY_DIMENSION, Attribution
from .scan import by_name, last_match

# "5%-15%", "5% to 15%", "5-15%" (not "2016 to 84%": without a % the low end must be joined by a dash)
# numbers start where a digit run starts and never give back digits (NUMBER is atomic): a run of
# 20,000 digits is read once, not once per digit
RANGE = re.compile(rf"(?<![0-9])(?P<low>{NUMBER})(?:%\s?(?:-|–|to)\s?|(?:-|–))(?P<high>{NUMBER})%")
GARBLED = re.compile(r"(?<![0-9])[0-9][0-9.,]*+%(?:[.,]*+[0-9][0-9.,]*+%|[0-9])")  # "4.4%9%": two numbers run together
DOTTED = re.compile(r"(?<![0-9])[0-9]++(?:\.[0-9]++){2,}")  # "3.6.2"
REACH = 120  # the longest phrase a verb pattern below reads before a number (whitespace is collapsed)
# "a year" is a rate's ("20% a year"), never a time ("a year earlier", "a year before", "a year ago")
RATE_WORDS = re.compile(r"\bCAGR\b|compound annual|per year|a year\b(?! earlier| before| ago)|annually|annual growth", re.IGNORECASE)
YOY_WORDS = re.compile(r"\bYoY\b|\by/y\b|year-on-year|year on year", re.IGNORECASE)
# "fell -5.4% in 2020", "rose 12% in 2021": a change stated for one year is that year's growth
CHANGE_VERB_BEFORE = re.compile(
    r"\b(?:rose|fell|grew|declined|increased|decreased|dropped|jumped|shrank|(?<!made )(?<!makes )(?<!make )up|down"
    r"|(?:an? )?(?:increase|decrease|decline|drop|fall|rise) of)"
    r"\s+(?:by\s+)?(?:an estimated\s+|about\s+|around\s+|nearly\s+|almost\s+)?$",
    re.IGNORECASE,
)
DECLINE_BEFORE = re.compile(
    r"\b(?:fell|declined|decreased|dropped|shrank|down|lower|(?:an? )?(?:decrease|decline|drop|fall) of)"
    r"\s+(?:by\s+)?(?:an estimated\s+|about\s+|around\s+|nearly\s+|almost\s+)?$",
    re.IGNORECASE,
)


def is_range(sentence: str, low: re.Match, high: re.Match) -> bool:
    """Two amounts joined as a range: "1.1 TWh-1.6 TWh", "between 1.1 TWh and 1.6 TWh"."""
    joiner = sentence[low.end() : high.start()].strip().lower()
    return joiner in ("-", "–") or (joiner in ("and", "to") and sentence[: low.start()].rstrip().lower().endswith("between"))


def qualifier_before(sentence: str, start: int, qualifiers: tuple[str, ...]) -> str:
    """The qualifier (seeds/qualifiers.csv, longest first) the words just before a number end with."""
    tail = sentence[max(0, start - REACH) : start].rstrip().lower()
    for qualifier in qualifiers:
        for ending in (qualifier, qualifier + " of"):
            # a whole word: "can recover 88%" ends with the letters of "over", not with the word
            if tail.endswith(ending) and not tail[: len(tail) - len(ending)][-1:].isalnum():
                return qualifier
    return ""


# "38.6 percent higher than ...", "40.8 percent more than its ...", "12% lower than in 2022": a change, stated
# after the number (a decline when lower or less)
CHANGE_AFTER = re.compile(r"\s+(?P<way>higher|more|lower|less)\s+than\b|\s+(?P<side>above|below)\s+(?:19|20)[0-9]{2}\b", re.IGNORECASE)


def misprints(sentence: str, spellings: Spellings) -> list[re.Match]:
    """Numbers no reading can take as one: "4.4%9%" (two run together), and a number with two decimal
    points beside a currency, scale or unit word ("USD 3.6.2 billion")."""
    found = list(GARBLED.finditer(sentence))
    for dotted in DOTTED.finditer(sentence):
        before, after = sentence[: dotted.start()].rstrip().lower(), sentence[dotted.end() :].lstrip().lower()
        words = [*spellings.currencies, *spellings.scales, *spellings.units]
        if any(before.endswith(word) for word in spellings.currencies) or any(re.match(rf"{re.escape(w)}\b", after) for w in words):
            found.append(dotted)
    return found


def by_dimension(before: str) -> str:
    """A "By <dimension>," seeds/cue_words.csv does not list, read as the dimension's own name ("By form factor")."""
    by = BY_DIMENSION.search(before)
    return by["dimension"].lower().replace(" ", "_").replace("-", "_") if by else ""


# a sentence that states a bound of a definition or a negation states no figure: "treats a battery with an
# electrolyte content below 10% as semi-solid-state", "No other battery supplier held more than 30 percent"
_NO_FIGURE_SENTENCE = re.compile(
    r"^(?:No|None)\b|\b(?:treats?|treated|defines?|defined|counts?|regarded|considered)\b.*\bas\b", re.IGNORECASE
)
# an amount by which a level changed is no level: "Demand increased by 32 kt", "87% (15 kt) of the annual growth"
_CHANGE_BY_BEFORE = re.compile(r"\b(?:increased|decreased|rose|fell|grew|declined|dropped|jumped|added)\s+by\s+$", re.IGNORECASE)
_OF_GROWTH_AFTER = re.compile(r"\)?\s*of\s+(?:the\s+)?(?:[\w/-]+\s+)?growth\b", re.IGNORECASE)


# a part of a year: "for the January-November period", "Jan–Nov", "in the first half", "the first nine months"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_PART_OF_YEAR = re.compile(
    rf"\b{_MONTH}\s?[-–]\s?{_MONTH}(?!\s*[0-9])|\bfirst (?:half|quarter|(?:three|six|nine) months)\b|\b(?:H1|H2|Q[1-4])\b(?!\s*[0-9])"
)

# a level or share of a year named only relative to another: "Its share a year earlier had been 14.1 percent",
# "38.6 percent higher than the 509.2 GWh of the year before" (a change's base year after "than" or "from" is
# its base, read by periods.change_year, not this)
_RELATIVE_YEAR = r"(?:a year (?:earlier|before|ago)|the (?:year before|previous year|prior year))"
_RELATIVE_BEFORE = re.compile(rf"(?<!than )(?<!from )(?<!than in )(?<!on )\b{_RELATIVE_YEAR}\b", re.IGNORECASE)
_RELATIVE_AFTER = re.compile(rf"\s*(?:of|in)\s+{_RELATIVE_YEAR}\b", re.IGNORECASE)

_OUTSIDE = re.compile(r"(?:Outside|Excluding|Beyond|Apart from)\b")  # "Outside these three markets, growth ... 70%"


def not_a_figure(sentence: str, start_at: int, match: re.Match) -> str:
    """Why the number at `match` is no figure though a reader took it ("" when it is one): a bound of a
    definition or a negated statement, a figure of part of a year, or an absolute change of an amount."""
    if _NO_FIGURE_SENTENCE.search(sentence[start_at:] if match.start() >= start_at else sentence):
        return "a bound in a definition or a negated statement, not a figure"
    if _OUTSIDE.match(sentence):
        return "a figure of what lies outside the places named (the rest of a world no region of seeds/segments.csv names)"
    part = _PART_OF_YEAR.search(sentence, sentence.rfind(";", 0, match.start()) + 1, match.start())  # in the number's clause
    if part:
        return f"a figure of part of a year ({part.group(0)}): no column of seeds/report_figures.csv holds one, not the year's"
    relative = _RELATIVE_AFTER.match(sentence, match.end()) or _RELATIVE_BEFORE.search(
        sentence, max(sentence.rfind(";", 0, match.start()) + 1, start_at), match.start()
    )
    if relative:
        return f"a figure of a year named only relative to another ({relative.group(0).strip()!r}): enter its year by hand"
    is_rate = "%" in match.group(0) or "percent" in match.group(0).lower()
    if not is_rate and (
        _CHANGE_BY_BEFORE.search(sentence, max(0, match.start() - 40), match.start()) or _OF_GROWTH_AFTER.match(sentence, match.end())
    ):
        return "an absolute change of an amount (no metric holds one), not a level"
    return ""


# another publisher's figure, quoted: "Citing the International Energy Agency (IEA, 2024), the page says ...",
# "According to Wood Mackenzie, ...", a heading "Cost share (figure cited from the IEA)"; and a publisher's
# own earlier forecast: "In March this year, BNEF had expected ..." (seeds: cited_publisher, its own vintage)
_NAME = r"(?P<name>[A-Z][\w&.-]*(?:\s+(?:of\s+)?[A-Z][\w&.-]*)*)(?:\s*\((?P<abbr>[A-Z][A-Za-z]+)\b[^)]*\))?"
_CITING = re.compile(rf"\b(?:[Cc]iting|[Aa]ccording to|[Cc]ited (?:from|by)|[Aa]s cited by)\s+(?:the\s+)?{_NAME}")
_EARLIER_FORECAST = re.compile(rf"{_NAME}\s+had\s+(?:expected|forecast|projected|estimated)\b")
_CITED_HEADING = re.compile(r"\bcited\b|\bother forecasts\b", re.IGNORECASE)
_FORECASTS = re.compile(rf"{_NAME}\s+(?:expects|forecasts|projects|estimates|sees)\b")


def cited_publisher(before: str, headings: tuple[str, ...]) -> str:
    """Whom the figure after `before` is quoted from, as the text names it (its abbreviation when it gives
    one: "the International Energy Agency (IEA, 2024)" is "IEA"), or "" when it is the report's own."""
    for pattern in (_CITING, _EARLIER_FORECAST):
        found = last_match(pattern, before)
        if found:
            return found["abbr"] or found["name"]
    heading = headings[0] if headings else ""
    if _CITED_HEADING.search(heading):
        found = _CITING.search(heading) or _FORECASTS.search(before)
        if found:
            return found["abbr"] or found["name"]
    return ""


# "$121/kWh", "EUR 132 per kWh": an amount per unit; "508 GW/1,432 GWh" (a number after the slash) is a pair
PER_UNIT = re.compile(r"\s*(?:/\s*(?![0-9])|per\s+(?=[A-Za-z]))")
_DENOMINATOR = re.compile(PER_DENOMINATOR)


def per_unit(sentence: str, match: re.Match, amount: Amount, units: UnitIndex) -> tuple[re.Match | None, Amount]:
    """The amount per unit at `match` ("$121/kWh") read whole, in the unit of seeds/units.csv whose base
    unit is the amount's per the denominator (usd_per_kwh): (None, amount) when no unit is, and the
    number is listed as a price or rate per unit; (match, amount) unchanged when it is no amount per unit."""
    if not PER_UNIT.match(sentence, match.end()):
        return match, amount
    denominator = _DENOMINATOR.match(sentence, match.end())
    base_unit = per_unit_base(amount.base_unit, denominator["per"]) if denominator else ""
    if not denominator or (base_unit, amount.scale) not in units:
        return None, amount
    whole = re.compile(re.escape(sentence[match.start() : denominator.end()])).match(sentence, match.start())
    return whole, dataclasses.replace(amount, base_unit=base_unit, text=whole.group(0))


def metric_of_quantity(metric: str, quantity: str, metric_of_name: dict[str, tuple[str, str]], quantities) -> str:
    """The metric named like `metric` but with the amount's own quantity: "508 GW" of "Cumulative energy
    capacity" is of "Cumulative power capacity" (GW is power, GWh energy: seeds/units.csv), when the
    vocabulary has both; else `metric`."""
    name = next((name for name, (key, _) in metric_of_name.items() if key == metric), "") if metric and quantity else ""
    words = name.split()
    for i, word in enumerate(words):
        swapped = " ".join([*words[:i], quantity, *words[i + 1 :]])
        if word in quantities and word != quantity and swapped in metric_of_name:
            return metric_of_name[swapped][0]
    return metric


def names_the_market(sentence: str, attribution: Attribution) -> bool:
    """Whether the sentence names the market itself by a cue noun ("13 million new electric cars" in an
    electric vehicle report): a count printed without a unit word is a figure only of the market's own
    size, whose unit the market gives; of another subject ("expected worldwide EV sales in 2023 at more
    than 14 million" in a separator report) it says no unit, and is listed."""
    names = attribution.series_names.finditer(sentence) if attribution.series_names else ()
    return any(by_name(attribution.series_of_name, name.group(0)) == "market" for name in names)
