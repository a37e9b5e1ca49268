"""Every number of a sentence that no reader drafted is listed with why it is not a figure (a year, a
date, a phone, section or page number, a price per unit, a count without a unit word): nothing is
skipped silently."""

from __future__ import annotations

import re

from .drafts import Extraction
from .sentence import PERIOD

DIGITS = re.compile(r"(?:(?<![\w])[-−+])?\d[\d,.]*\d|\d")  # a sign only where it cannot be a dash of a range
_WHY_NOT = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "a date"),
    (re.compile(r"^(?:19|20|21)\d{2}$"), "a year"),
    (re.compile(r"^\d+(?:\.\d+){2,}$"), "a section or list number"),
)
_MONTHS = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*$", re.IGNORECASE)
PHONE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")


def why_not(sentence: str, digits: re.Match) -> str:
    """Why a number the readers did not take is not a figure."""
    text = digits.group(0)
    for pattern, reason in _WHY_NOT:
        if pattern.match(text):
            return reason
    before, after = sentence[: digits.start()], sentence[digits.end() :]
    if _MONTHS.search(before) or re.match(r"\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", after):
        return "a date"
    if re.search(r"[A-Za-z]$", before) or re.match(r"[A-Za-z]", after) or re.search(r"[A-Za-z]-$", before):
        return "part of a name or code"
    if re.search(r"\b(?:section|chapter|table|figure|fig\.|page|pages|no\.|p\.)\s*$", before, re.IGNORECASE):
        return "a section, table, figure or page number"
    if re.match(r"\s*(?:/|per\b)", after):
        return "a number per unit (a price or rate) no unit of seeds/units.csv reads: enter it by hand if it is a figure"
    return (
        "a number without a unit, currency or % the vocabulary reads (a count or a new unit? add it to seeds/units.csv, unit_spellings.csv)"
    )


def list_not_drafted(sentence: str, line: int, taken: list[tuple[int, int]], result: Extraction) -> None:
    """List the numbers outside the spans the readers took (`taken`), phone numbers first."""
    for phone in PHONE.finditer(sentence):
        digits_only = re.sub(r"\D", "", phone.group(0))
        year_range = PERIOD.fullmatch(phone.group(0).strip()) is not None
        looks_like_phone = len(digits_only) >= 8 and not year_range and (" " in phone.group(0).strip() or "-" in phone.group(0))
        if looks_like_phone and not any(phone.start() < end and phone.end() > start for start, end in taken):
            taken.append((phone.start(), phone.end()))
            result.not_drafted.append((line, phone.group(0).strip(), "a phone number"))
    for digits in DIGITS.finditer(sentence):
        if any(digits.start() < end and digits.end() > start for start, end in taken):
            continue
        result.not_drafted.append((line, digits.group(0), why_not(sentence, digits)))
