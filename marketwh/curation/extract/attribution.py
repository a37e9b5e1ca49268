"""Who and where a number is about: the segment, company or region named in its clause, from the
vocabulary seeds (the shared taxonomy and the report's market), never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary import Vocabulary


@dataclass(frozen=True)
class Attribution:
    """What the drafts of one document may name: segment and region names (longest first), and the
    market's metrics by kind, all from the vocabulary seeds."""

    segments: list[tuple[str, str, str]]  # (dimension, name, segment_key), split dimensions
    regions: list[tuple[str, str, str]]  # (dimension, name, segment_key), regions and countries
    level_metrics: dict[str, str]  # quantity -> the market-size metric of that quantity
    metric_of_kind: dict[str, str]  # growth / rate / share -> the market series' stated metric
    market_words: tuple[str, ...]  # how the market itself is named ("lithium", "anode materials")
    dimensions: frozenset[str] = frozenset()  # the taxonomy's dimensions ("By product, ..." names one)


def attribution_of(vocabulary: Vocabulary, market: str | None) -> Attribution:
    longest_first = lambda names: sorted(names, key=lambda n: -len(n[1]))  # noqa: E731
    market_metrics = [vocabulary.metrics[metric] for metric in vocabulary.stated_metrics]
    series = {row["series"] for row in market_metrics if row["is_market_size"] == "true"}
    market_name = vocabulary.markets[market]["display_name"] if market in vocabulary.markets else ""
    return Attribution(
        segments=longest_first(vocabulary.segment_names(market) + vocabulary.names_of(["company"], market)),
        regions=longest_first(vocabulary.names_of(["region", "country"])),
        level_metrics={row["quantity"]: row["metric"] for row in market_metrics if row["is_market_size"] == "true"},
        metric_of_kind={row["kind"]: row["metric"] for row in market_metrics if row["series"] in series and row["kind"] != "level"},
        market_words=tuple(w.lower() for w in (market_name, (market or "").replace("_", " ")) if w),
        dimensions=frozenset(vocabulary.segments),
    )


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


def share_scope(after: str, attribution: Attribution) -> str:
    """The scope a share is of, when the words after it name it: "73.8% of global shipments"."""
    for _dimension, name, key in attribution.regions:
        if re.match(rf"\s*of\s+(?:the\s+)?{re.escape(name)}\b", after, re.IGNORECASE):
            return key
    return ""


def clause_start(sentence: str, position: int) -> int:
    return max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, position)), default=0)


def _last_name(text: str, names: list[tuple[str, str, str]]) -> tuple[str, str, str, int] | None:
    """The last known name in `text` (of names ending together, the longest): (dimension, printed, key, end)."""
    best = None
    for dimension, name, key in names:
        for match in re.finditer(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text, re.IGNORECASE):
            rank = (match.end(), len(name))
            if best is None or rank > best[0]:
                best = (rank, (dimension, match.group(0), key, match.end()))
    return best[1] if best else None


def subject_of(sentence: str, position: int, names, market_words: tuple[str, ...]) -> tuple[str, str, str] | None:
    """The segment (or region) a number is about: the last name in its own clause before it, else in
    the sentence before it; a name that is the market's own ("the graphite market") is the market."""
    for start in (clause_start(sentence, position), 0):
        found = _last_name(sentence[start:position], names)
        if found is None:
            continue
        dimension, printed, key, end = found
        after = sentence[start + end : start + end + 8].lower()
        if after.startswith(" market") and printed.lower() in market_words:
            return None
        return dimension, printed, key
    return None
