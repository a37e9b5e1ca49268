"""Every number of a sentence that no reader drafted is listed with why it is not a figure (a year, a
date, a phone, section or page number, a price per unit, a count without a unit word): nothing is
skipped silently."""

from __future__ import annotations

import re

from .drafts import Extraction
from .scan import PERIOD

# ASCII digits ([0-9], as every number reader); a sign only where it cannot be a dash of a range
DIGITS = re.compile(r"(?:(?<![\w])[-−+])?[0-9][0-9,.]*[0-9]|[0-9]")
_WHY_NOT = (
    (re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), "a date"),
    (re.compile(r"^(?:19|20|21)[0-9]{2}$"), "a year"),
    (re.compile(r"^[0-9]+(?:\.[0-9]+){2,}$"), "a section or list number"),
)
REACH = 120  # how far before a number the patterns below read (they end at the number)
_MONTHS = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*$", re.IGNORECASE)
_LETTER_BEFORE = re.compile(r"[A-Za-z]-?$")
_REFERENCE_BEFORE = re.compile(r"\b(?:section|chapter|table|figure|fig\.|page|pages|no\.|p\.)\s*$", re.IGNORECASE)
PHONE = re.compile(r"\+?\(?(?<![0-9])[0-9][0-9\s().-]{6,}[0-9]")


def why_not(sentence: str, digits: re.Match) -> str:
    """Why a number the readers did not take is not a figure."""
    text = digits.group(0)
    for pattern, reason in _WHY_NOT:
        if pattern.match(text):
            return reason
    # the words before a number are read in a window that ends at it (the patterns end at the number):
    # reading the whole sentence again for every number made a sentence of n numbers cost n times its length
    start, end = digits.start(), digits.end()
    window = max(0, start - REACH)
    after = sentence[end : end + REACH]
    if _MONTHS.search(sentence, window, start) or re.match(r"\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", after):
        return "a date"
    if _LETTER_BEFORE.search(sentence, window, start) or re.match(r"[A-Za-z]", after):
        return "part of a name or code"
    if _REFERENCE_BEFORE.search(sentence, window, start):
        return "a section, table, figure or page number"
    if re.match(r"\s*(?:/|per\b)", after):
        return "a number per unit (a price or rate) no unit of seeds/units.csv reads: enter it by hand if it is a figure"
    return (
        "a number without a unit, currency or % the vocabulary reads (a count or a new unit? add it to seeds/units.csv, unit_spellings.csv)"
    )


def list_not_drafted(sentence: str, line: int, taken: list[tuple[int, int]], result: Extraction) -> None:
    """List the numbers outside the spans the readers took (`taken`), phone numbers first."""
    covered = bytearray(len(sentence) + 1)  # 1 where a reader took the character
    for start, end in taken:
        covered[start:end] = b"\x01" * (end - start)
    for phone in PHONE.finditer(sentence):
        digits_only = re.sub(r"\D", "", phone.group(0))
        year_range = PERIOD.fullmatch(phone.group(0).strip()) is not None
        looks_like_phone = len(digits_only) >= 8 and not year_range and (" " in phone.group(0).strip() or "-" in phone.group(0))
        if looks_like_phone and not any(covered[phone.start() : phone.end()]):
            covered[phone.start() : phone.end()] = b"\x01" * (phone.end() - phone.start())
            result.not_drafted.append((line, phone.group(0).strip(), "a phone number"))
    for digits in DIGITS.finditer(sentence):
        if any(covered[digits.start() : digits.end()]):
            continue
        result.not_drafted.append((line, digits.group(0), why_not(sentence, digits)))
