"""What one sentence holds, found in one pass each: its years, periods and amounts, so the readers of
sentence.py look up what stands before or after a number by bisection instead of searching the rest of
the sentence again for every number (which made a sentence of n numbers cost n times its length).

Digits are ASCII digits ([0-9], never \\d): "２０２４" or an Arabic-Indic year is no year to dbt."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..periods import heading_years, is_base_year

YEAR = re.compile(r"\b(19[0-9]{2}|20[0-9]{2}|21[0-9]{2})\b")
PERIOD = re.compile(r"\b((?:19|20|21)[0-9]{2})\s*(?:-|–|—|to|through|and)\s*((?:19|20|21)[0-9]{2})\b")
# an author-year citation, "(IEA, 2024)": the date of the source quoted, never the year of a figure
_CITATION = re.compile(r"\([A-Z][\w&.\s-]*,\s*(?:19|20|21)[0-9]{2}\)")
_BLOCK = re.compile(r"[0-9][0-9 ,.]*+")  # a run of digits and separators, from its first digit
_DIGIT = re.compile(r"[0-9]")
# what makes a run of digits an amount to _year_near: the next amount bounds a number's year
_AMOUNT_WORD = re.compile(r"\s?(?:%|billion|million|tons|US\$)")


@dataclass
class SentenceScan:
    sentence: str
    years: list[re.Match] = field(init=False)
    periods: list[re.Match] = field(init=False)
    _blocks: list[tuple[int, int, bool]] = field(init=False)  # (start, end, an amount word follows)
    _next_amount_block: list[int] = field(init=False)  # block index -> first block at or after it an amount word follows

    def __post_init__(self) -> None:
        cited = [(c.start(), c.end()) for c in _CITATION.finditer(self.sentence)]
        self.years = [y for y in YEAR.finditer(self.sentence) if not any(a <= y.start() < b for a, b in cited)]
        self.periods = list(PERIOD.finditer(self.sentence))
        self._year_ends = [year.end() for year in self.years]
        self._year_starts = [year.start() for year in self.years]
        self._period_ends = [period.end() for period in self.periods]
        self._period_starts = [period.start() for period in self.periods]
        self._blocks = [
            (b.start(), b.end(), _AMOUNT_WORD.match(self.sentence, b.end()) is not None) for b in _BLOCK.finditer(self.sentence)
        ]
        self._block_ends = [end for _, end, _ in self._blocks]
        following, self._next_amount_block = len(self._blocks), [0] * len(self._blocks)
        for index in range(len(self._blocks) - 1, -1, -1):
            following = index if self._blocks[index][2] else following
            self._next_amount_block[index] = following

    def next_amount(self, end: int) -> int | None:
        """Where the first digit run at or after `end` that an amount word follows starts (a run of
        digits, spaces, commas and dots, read to its end); None when there is none."""
        index = bisect.bisect_right(self._block_ends, end)  # the first block ending after `end`
        if index == len(self._blocks):
            return None
        start, block_end, amount = self._blocks[index]
        if amount:
            digit = _DIGIT.search(self.sentence, max(start, end), block_end)
            if digit:
                return digit.start()
        later = self._next_amount_block[index + 1] if index + 1 < len(self._blocks) else len(self._blocks)
        if later == len(self._blocks):
            return None
        return _DIGIT.search(self.sentence, self._blocks[later][0]).start()

    def year_near(self, start: int, end: int) -> str:
        """The year a number belongs to: the first year after it ("5.4 billion in 2024"), before the next
        amount; otherwise the nearest year before it ("In 2020, ... made up 76.3%"), else the first one
        after it ("rose 97% YoY to 720 000 tons in 2021")."""
        bound = self.next_amount(end)
        later = bisect.bisect_left(self._year_starts, end)
        if later < len(self.years) and (bound is None or self._year_ends[later] <= bound):
            return self.years[later].group(1)
        before = bisect.bisect_right(self._year_ends, start)
        while before and is_base_year(self.sentence, self.years[before - 1]):
            before -= 1  # "grew again in 2021 after falling in 2020, rising 12% y/y to 160 kt": 2020 is a base
        if before:
            return self.years[before - 1].group(1)
        return self.years[later].group(1) if later < len(self.years) else ""

    def period_after(self, end: int) -> re.Match | None:
        index = bisect.bisect_left(self._period_starts, end)
        return self.periods[index] if index < len(self.periods) else None

    def period_before(self, start: int) -> re.Match | None:
        """The first period of the sentence that ends before `start`."""
        return self.periods[0] if self.periods and self._period_ends[0] <= start else None


def last_match(pattern: re.Pattern, text: str, start: int = 0, end: int | None = None) -> re.Match | None:
    """The last match of `pattern` in text[start:end] (the cue or name nearest before a number), None for none."""
    found = None
    for found in pattern.finditer(text, start, len(text) if end is None else end):  # noqa: B007 (the last one is wanted)
        pass
    return found


def by_name(mapping: dict, printed: str):
    """What `mapping` (lowercased names) holds for a name as printed, else for its singular ("prices":
    "price"): the names a sentence prints match with an optional plural s."""
    name = printed.lower()
    return mapping[name] if name in mapping else mapping.get(name.rstrip("s"))


@dataclass(frozen=True)
class Context:
    line: int
    section: str
    headings: tuple[str, ...]  # innermost first
    report_id: str
    region: str
    forecast: tuple[str, str] | None = None  # the report's declared forecast period, when registered

    def heading_year(self) -> str:
        """The year of the nearest heading that names exactly one year (and no period)."""
        for heading in self.headings:
            years = heading_years(heading)  # none of an edition ("Q1 2024") or of a figure the heading states
            if len(set(years)) == 1 and not PERIOD.search(heading):
                return years[0]
        return ""
