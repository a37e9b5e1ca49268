"""What a share is of: the words after "X% of" name its base, and the base decides whether the share
is a split of the market or a share of something else.

A curator reads "Germany accounted for 37% of the European market" as a split of the market (the base's
head noun is "market"), "LFP made up 65.8% of total shipments" too (shipments is the market's own noun),
but "Electric cars accounted for 17% of all cars sold" as the EV share of car sales and "cathode materials
account for up to 35-50% of total cell cost" as a cost share: a base cue of seeds/cue_words.csv names
their metric. A base neither the market nor a cue names ("70% of market volume" in a market sized in
value, "17% of sales" in a battery report, "24% of annual energy storage deployments") is a share on a
base the vocabulary does not know: listed with it, never drafted as the market's share. A value "up from
13%" is the earlier value of the share before it, and has that share's base."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .scan import last_match

if TYPE_CHECKING:
    from .attribution import Attribution

# the words after "X% of (the)": up to a clause's end, a time, a place or a comparison ("of all cars sold
# in 2023", "of the market by volume", "of the cost of LFP cathode material")
_STOP = r"(?=\s+(?:in|by|from|during|for|with|as|than|compared|while|whereas|led|to|and|at|on|of|over|through)\b|\s*[,;:.()]|\s*$)"
_OF_BASE = re.compile(rf"\)?\s+of\s+(?:the\s+)?(?P<base>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)*?){_STOP}")
_COST_OF = re.compile(rf"\s+of\s+(?:an?\s+|the\s+)?(?P<base>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)*?){_STOP}")
_EARLIER_BASE = re.compile(rf"(?:%|\bpercent)\)?\s+of\s+(?:the\s+)?(?P<base>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)*?){_STOP}", re.I)
# "up from 13% in 2022", "down from about 20%": the same share's earlier value
_FROM_BEFORE = re.compile(r"\b(?:up|down|rising|falling|rose|fell|compared)\s+from\s+(?:[a-z]+\s+){0,2}$", re.IGNORECASE)
_OF_WORDS_IN = re.compile(r"\s*of\s+(?:[\w-]+\s+){1,3}in\s+", re.IGNORECASE)  # "18% of battery demand in China"


def share_base(sentence: str, start: int, end: int) -> str:
    """The base the share at sentence[start:end] is of, as printed ("all cars sold"), "" when none is named."""
    found = _OF_BASE.match(sentence, end)
    if found is None and _FROM_BEFORE.search(sentence, max(0, start - 40), start):
        found = last_match(_EARLIER_BASE, sentence, 0, start)
    if found is None:
        return ""
    cost_of = _COST_OF.match(sentence, found.end()) if found["base"].lower().endswith("cost") else None
    return f"{cost_of['base']} cost" if cost_of else found["base"]  # "the cost of a lithium-ion battery": battery cost


def metric_of_base(attribution: Attribution, sentence: str, start: int, end: int) -> tuple[str, str] | None:
    """(metric, subject) of a share the words after it say is of something else than the market: a base
    cue's metric, or ("", the base) for a base nothing names; None when it is the market's own share (no
    base, a series named in it, or a head noun that is the market's: "market", "total", "shipments")."""
    base = share_base(sentence, start, end)
    if not base or (attribution.series_names is not None and attribution.series_names.search(base)):
        return None
    # the cue the base ends with: its head ("the total nickel market"; "market volume" is a volume, not the market)
    cue = attribution.base_cues.search(base) if attribution.base_cues is not None else None
    while cue and cue.end() != len(base):
        cue = attribution.base_cues.search(base, cue.start() + 1)
    meaning = attribution.metric_of_base[cue.group(0).lower()] if cue else ""
    if meaning and meaning != "market":
        return meaning, ""
    head = base.lower().split()[-1]  # "battery anodes" in an anode materials report: a word of the market's name
    market_heads = {*attribution.market_nouns, *attribution.market_words, *(w for n in attribution.market_words for w in n.split())}
    market_heads |= {cue for cue, meaning in attribution.metric_of_base.items() if meaning == "market"}
    if meaning == "market" or head in market_heads or head.rstrip("s") in market_heads:
        return None
    return "", base


def of_base(attribution: Attribution, kind: str, sentence: str, match: re.Match, metric: str, subject: str) -> tuple[str, str]:
    """(metric, subject) of a number `Attribution.measured` read as the market's share, once its base is read."""
    if kind != "share" or subject or metric != attribution.metric_of_kind.get("share"):
        return metric, subject
    return metric_of_base(attribution, sentence, match.start(), match.end()) or (metric, subject)


def share_scope(after: str, attribution: Attribution) -> str:
    """The scope a share is of, when the words after it name it: "73.8% of global shipments", "of ... in China"."""
    words = _OF_WORDS_IN.match(after)
    match = attribution.regions.of_scope.match(after) or (words and attribution.regions.pattern.match(after, words.end()))
    return attribution.regions.by_name[match["name"].lower()][1] if match else ""
