"""Who and where a number is about: the segment, company or region named in its clause, from the
vocabulary seeds (the shared taxonomy and the report's market), never guessed.

The names are one compiled alternation (longest first), found once per sentence; each number then
looks its subject up by bisection. One pattern per name, scanned again for every number, made a
sentence of n numbers cost n x names x its length."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..vocabulary import Vocabulary
from .scan import by_name, last_match


@dataclass(frozen=True)
class Names:
    """(dimension, name, segment_key) entries, longest first, as one pattern; a name printed the same
    (in any case) by two entries stands for the first of them."""

    entries: list[tuple[str, str, str]]
    pattern: re.Pattern = field(init=False, repr=False, compare=False)  # every name, at every start
    of_scope: re.Pattern = field(init=False, repr=False, compare=False)  # "of (the) <name>"
    by_name: dict[str, tuple[str, str]] = field(init=False, repr=False, compare=False)
    in_dimension: dict[tuple[str, str], str] = field(init=False, repr=False, compare=False)  # (dimension, name) -> key

    def __post_init__(self) -> None:
        by_name: dict[str, tuple[str, str]] = {}
        for dimension, name, key in self.entries:
            by_name.setdefault(name.lower(), (dimension, key))
        object.__setattr__(self, "in_dimension", {(d, name.lower()): key for d, name, key in reversed(self.entries)})
        alternation = "|".join(re.escape(name) for _, name, _ in self.entries if name) or r"(?!x)x"
        object.__setattr__(self, "by_name", by_name)
        # every start a name stands at (overlapping: "natural graphite powder" holds two names), as a lookahead
        object.__setattr__(self, "pattern", re.compile(rf"(?=(?<![\w$])(?P<name>{alternation})(?![\w$]))", re.IGNORECASE))
        object.__setattr__(self, "of_scope", re.compile(rf"\s*of\s+(?:the\s+)?(?P<name>{alternation})\b", re.IGNORECASE))

    def __iter__(self):
        return iter(self.entries)

    def in_sentence(self, sentence: str) -> SentenceNames:
        found = []
        for match in self.pattern.finditer(sentence):
            printed = match["name"]
            opened = sentence.rfind("(", 0, match.start())
            if opened >= 0 and sentence.find(")", opened) >= match.start() + len(printed):
                continue  # "SK On (South Korea)", "(DRC)": a descriptor or an abbreviation of the name before it, not a subject
            dimension, key = self.by_name[printed.lower()]
            found.append((match.start() + len(printed), len(printed), match.start(), dimension, printed, key))
        found.sort(key=lambda item: item[:2])
        return SentenceNames(found, [item[0] for item in found])


@dataclass(frozen=True)
class SentenceNames:
    """The names standing in one sentence: (end, length, start, dimension, printed, key), by end and length."""

    found: list[tuple[int, int, int, str, str, str]]
    ends: list[int]

    def last(self, start: int, position: int) -> tuple[str, str, str, int] | None:
        """The last name inside sentence[start:position] (of names ending together, the longest):
        (dimension, printed, key, end). Only names straddling `start` are passed over: a few."""
        index = bisect.bisect_right(self.ends, position)
        while index > 0:
            index -= 1
            end, _, begin, dimension, printed, key = self.found[index]
            if end <= start:
                return None
            if begin >= start:
                return dimension, printed, key, end
        return None


@dataclass(frozen=True)
class Attribution:
    """What the drafts of one document may name: segment and region names (longest first), and the
    market's metrics by kind, all from the vocabulary seeds."""

    segments: Names  # (dimension, name, segment_key), split dimensions
    regions: Names  # (dimension, name, segment_key), regions and countries
    level_metrics: dict[str, str]  # quantity -> the market-size metric of that quantity (the first declared)
    metric_of_kind: dict[str, str]  # growth / rate / share -> the first market-size series' stated metric
    market_words: tuple[str, ...]  # how the market itself is named ("lithium", "anode materials")
    dimensions: frozenset[str] = frozenset()  # the taxonomy's dimensions ("By product, ..." names one)
    # a market sized by several series (demand, production, mine supply): each series' stated metrics by
    # kind (a level by "level:<quantity>"), and the names of its levels as a sentence prints them
    series_metrics: dict[tuple[str, str], str] = field(default_factory=dict)
    series_names: re.Pattern | None = None
    series_of_name: dict[str, str] = field(default_factory=dict)
    market_series: frozenset[str] = frozenset()  # the series that size the market (is_market_size)
    metric_of_name: dict[str, tuple[str, str]] = field(default_factory=dict)  # display name -> (metric, kind)
    metric_cues: re.Pattern | None = None  # seeds/cue_words.csv's metric cues ("combined share")
    cue_nouns: frozenset[str] = frozenset()  # seeds/cue_words.csv's subject nouns for this market
    market_nouns: frozenset[str] = frozenset()  # the nouns that name the market itself (meaning "market")
    metric_of_cue: dict[str, str] = field(default_factory=dict)
    dimension_cues: re.Pattern | None = None  # seeds/cue_words.csv's dimension cues as "By application, ..."
    dimension_of_cue: dict[str, str] = field(default_factory=dict)
    base_cues: re.Pattern | None = None  # seeds/cue_words.csv's base cues: "of all cars sold" (bases.py)
    metric_of_base: dict[str, str] = field(default_factory=dict)  # base cue -> metric, or "market" for the market itself

    def cued_dimension(self, sentence: str, position: int) -> str:
        """The dimension the last "By <cue>," before `position` names ("By application, ..."), "" for none."""
        found = last_match(self.dimension_cues, sentence, 0, position) if self.dimension_cues else None
        return self.dimension_of_cue.get(found["cue"].lower(), "") if found else ""

    quantity_lines: dict[str, list[str]] = field(default_factory=dict)  # quantity -> it and the quantities it is a kind of

    def metric(self, kind: str, sentence: str, start: int, end: int, quantity: str = "") -> str:
        """The stated metric of `kind` for the number at sentence[start:end] (see `measured`), "" for none."""
        return self.measured(kind, sentence, start, end, quantity)[0]

    def measured(
        self,
        kind: str,
        sentence: str,
        start: int,
        end: int,
        quantity: str = "",
        inside: tuple[tuple[int, int], ...] = (),
        headings: tuple[str, ...] = (),
    ) -> tuple[str, str]:
        """(metric, subject) of the number at sentence[start:end]: what the words name as its subject, "63% of
        annual demand" after it, else the last subject named before it ("Battery pack prices fell 17%",
        "Mine supply ... rose 12%") -- a metric's display name (seeds/metrics.csv) or a subject noun
        (seeds/cue_words.csv). The metric of `kind` of the series named; a market-size series without one
        falls back on the market's first series; names `inside` a segment's name are the segment's. A
        subject no series measures ("capacity", "price") or a series with no metric of the kind gives no
        metric: ("", the subject as printed), never the market's."""
        if kind == "share" and self.metric_cues is not None:
            cue = last_match(self.metric_cues, sentence, 0, start)
            if cue:  # "Chinese makers held a combined share of 61.8%": seeds/cue_words.csv names the metric
                return self.metric_of_cue[cue.group(0).lower()], ""
        if kind == "share" and OF_GROWTH.match(sentence, end):
            kind = "growth_share"  # "95% of the growth", "87% (15 kt) of the annual growth"
        key = f"level:{quantity}" if kind == "level" else kind
        default = self.level_metrics.get(quantity, "") if kind == "level" else self.metric_of_kind.get(kind, "")
        if kind == "growth_share":
            # the first series sizing the market that has one (seeds/metrics.csv order: the market's own first)
            default = next((m for (series, k), m in self.series_metrics.items() if k == kind and series in self.market_series), "")
        if self.series_names is None:
            return default, ""
        after = _OF_SERIES.match(sentence, end)
        word = after and _ONE_WORD.match(sentence, after.end())
        found = after and (self.series_names.match(sentence, after.end()) or (word and self.series_names.match(sentence, word.end())))
        if not found:
            found = None
            for candidate in self.series_names.finditer(sentence, 0, start):
                # a name inside a segment's name ("higher EV sales", a growth driver) is the segment's, not a subject
                if not any(a <= candidate.start() and candidate.end() <= b for a, b in inside):
                    found = candidate
        if not found:  # the section's heading may be it ("## Demand": "... made up 85% of the y/y growth")
            found = self.series_names.fullmatch(headings[0].strip()) if headings else None  # a heading that is the subject alone
        if not found:
            return default, ""
        printed = found.group(0)
        own = by_name(self.metric_of_name, printed)
        cued = printed.lower() in self.cue_nouns or printed.lower().rstrip("s") in self.cue_nouns  # a cue row outranks a display name
        if own and not cued and own[1] in _KINDS_FOR.get(kind, (kind,)):
            return own[0], ""  # "a penetration rate of around 10%": the metric its display name names
        named = by_name(self.series_of_name, printed)
        if not named:
            return "", printed
        kinds = {"share": ["share", "ratio"], "level": [f"level:{q}" for q in self.quantity_lines.get(quantity, [quantity])]}.get(
            kind, [key]
        )
        metric = next((self.series_metrics[(named, k)] for k in kinds if (named, k) in self.series_metrics), "")
        if metric:
            return metric, ""
        return (default, "") if named in self.market_series else ("", printed)

    qualifiers: tuple[str, ...] = ()  # seeds/qualifiers.csv, longest first ("just under" before "under")


def attribution_of(vocabulary: Vocabulary, market: str | None) -> Attribution:
    longest_first = lambda names: Names(sorted(names, key=lambda n: -len(n[1])))  # noqa: E731
    market_metrics = [vocabulary.metrics[metric] for metric in vocabulary.stated_metrics]
    series = {row["series"] for row in market_metrics if row["is_market_size"] == "true"}
    market_name = vocabulary.markets[market]["display_name"] if market in vocabulary.markets else ""
    # each kind keeps its first declared metric (the market's own series comes first in seeds/metrics.csv;
    # the two defaults below are built from the rows reversed): a later series never takes over its drafts
    series_metrics: dict[tuple[str, str], str] = {}
    for row in market_metrics:
        key = f"level:{row['quantity']}" if row["kind"] == "level" else row["kind"]
        if row["kind"] == "ratio" and "growth" in row["display_name"].lower():
            key = "growth_share"  # "Share of demand growth": a share of the year's growth, not of the level
        series_metrics.setdefault((row["series"], key), row["metric"])
    # a printed amount's quantity finds the market-size metric of it or of a quantity it belongs to
    # (seeds/quantities.csv: GWh is energy, a physical volume, which the market's volume metric measures);
    # the first declared metric of a quantity wins, as for the series below
    sizes = {row["quantity"]: row["metric"] for row in reversed(market_metrics) if row["is_market_size"] == "true"}
    lines = {quantity: vocabulary.quantity_line(quantity) for quantity in {*vocabulary.quantities, *sizes}}
    level_metrics = {quantity: next((sizes[q] for q in line if q in sizes), "") for quantity, line in lines.items()}
    # what a sentence names as a number's subject: every stated metric's display name ("Battery pack price",
    # "Mine supply") names its series, and seeds/cue_words.csv's subject nouns name theirs or none ("capacity")
    series_of_name = {row["display_name"].lower(): row["series"] for row in market_metrics if row["display_name"]}
    series_of_name.update(vocabulary.cues("subject", market))
    names = sorted(series_of_name, key=len, reverse=True)
    cues = vocabulary.cues("dimension", market)
    metric_cues = {cue: metric for cue, metric in vocabulary.cues("metric", market).items() if metric in vocabulary.metrics}
    bases = {cue: meaning for cue, meaning in vocabulary.cues("base", market).items() if meaning in (*vocabulary.metrics, "market")}
    return Attribution(
        segments=longest_first(vocabulary.segment_names(market) + vocabulary.names_of(["company"], market)),
        regions=longest_first(vocabulary.names_of(["region", "country"])),
        level_metrics={quantity: metric for quantity, metric in level_metrics.items() if metric},
        metric_of_kind={
            row["kind"]: row["metric"] for row in reversed(market_metrics) if row["series"] in series and row["kind"] != "level"
        },
        market_words=tuple(w.lower() for w in (market_name, (market or "").replace("_", " ")) if w),
        dimensions=frozenset(vocabulary.segments),
        series_metrics=series_metrics,
        series_names=re.compile("|".join(rf"\b{re.escape(n)}s?\b" for n in names), re.IGNORECASE) if names else None,
        market_series=frozenset(series),
        metric_of_name={
            row["display_name"].lower(): (row["metric"], row["kind"]) for row in reversed(market_metrics) if row["display_name"]
        },
        dimension_cues=re.compile(
            r"\b(?P<cue>" + "|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True)) + r")\s*,", re.IGNORECASE
        )
        if cues
        else None,
        dimension_of_cue=cues,
        metric_cues=_alternation(metric_cues),
        metric_of_cue=metric_cues,
        base_cues=_alternation(bases),
        metric_of_base=bases,
        cue_nouns=frozenset(vocabulary.cues("subject", market)),
        market_nouns=frozenset(noun for noun, series in vocabulary.cues("subject", market).items() if series == "market"),
        series_of_name=series_of_name,
        quantity_lines=lines,
        qualifiers=tuple(sorted(vocabulary.qualifiers, key=lambda q: (-len(q), q))),
    )


def _alternation(cues: dict[str, str]) -> re.Pattern | None:
    """The cues as one pattern of whole words, longest first; None for none."""
    ordered = sorted(cues, key=len, reverse=True)
    return re.compile("|".join(rf"\b{re.escape(cue)}\b" for cue in ordered), re.IGNORECASE) if cues else None


_KINDS_FOR = {"share": ("share", "ratio"), "growth_share": ("ratio",)}  # metric kinds a number read as a share can be
OF_GROWTH = re.compile(r"\s*(?:\([^)]*\)\s*)?of\s+(?:the\s+)?(?:[\w/-]+\s+)?(?:growth|rise|increase)\b", re.IGNORECASE)
# "... 74% of global mine supply": the words after a number that name what it is a share of
_OF_SERIES = re.compile(r"\s*(?:y/y\s+)?of\s+(?:the\s+)?(?:(?:total|annual|global|world)\s+)*", re.IGNORECASE)
_ONE_WORD = re.compile(r"[a-z][\w-]*\s+", re.IGNORECASE)  # "84% of lithium demand": the product's name before the series


# a clause ends at a comma, semicolon or colon, or before "while"/"whereas": a figure's subject is named
# in its own clause, else at the start of its sentence
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:while|whereas|but|compared with|compared to)\s", re.IGNORECASE)
UNKNOWN_SEGMENT = re.compile(r"\b(?:the\s+)?(?P<words>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3})\s+(?:segment|sub-segment|category)\b")
# "lithium carbonate held more than 55%": the words before a share verb name the segment
SHARE_SUBJECT = re.compile(
    r"(?:^|,\s*|\bBy\s+\w+(?:\s\w+)?,\s*)(?:the\s+)?(?P<words>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3}?)\s+(?:segment\s+)?"
    r"(?:held|holds|accounted for|accounts for|made up|makes up|represented|represents|captured|dominated|led)\b[^%]*$",
    re.IGNORECASE,
)
GENERIC_SUBJECTS = ("market", "industry", "it", "this", "which", "that", "they", "sales", "demand", "revenue")
BY_DIMENSION = re.compile(r"\bBy\s+(?P<dimension>[a-z]+(?:[ -][a-z]+)?),", re.IGNORECASE)  # "By product, ..."


def clause_breaks(sentence: str) -> list[int]:
    """Where each clause of the sentence starts after the first (found once per sentence)."""
    return [match.end() for match in _CLAUSE_BREAK.finditer(sentence)]


def clause_start(breaks: list[int], position: int) -> int:
    """The start of the clause holding `position`, from the sentence's `clause_breaks`."""
    index = bisect.bisect_right(breaks, position)
    return breaks[index - 1] if index else 0


def subject_of(
    sentence: str, position: int, clause: int, names: SentenceNames, market_words: tuple[str, ...]
) -> tuple[str, str, str] | None:
    """The segment (or region) a number is about: the last name before it in its own clause, else the sentence's subject, its
    first name ("The top five players, Umicore, ..., held 41%"); a name that is the market's own ("the graphite market") is the market."""
    for start in (clause, 0):
        first = next(((d, p, k, e) for e, _, _, d, p, k in names.found if e <= position), None)
        found = names.last(start, position) if start == clause else first
        if found is None:
            continue
        dimension, printed, key, end = found
        after = sentence[end : end + 60].lower()
        if after.startswith(" market") and printed.lower() in market_words:
            return None
        if dimension not in ("region", "country") and any(after.startswith(f" {words} market") for words in market_words):
            return None  # "the lithium-ion battery recycling market": a name describing the market, not a segment of it
        return dimension, printed, key
    return None
