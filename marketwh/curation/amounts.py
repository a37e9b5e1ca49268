"""Reading numbers as reports print them: "US$ 5.4 billion", "$36,889.1 million", "7.16 USD Billion",
"1,094,300,000,000 yen", "720 000 tons", "13.4%", "0.56 Thousand LCE kilotons".

The printed spellings of currencies, scale words and units are data, in seeds/unit_spellings.csv
(`Spellings` reads them): a new unit is taught to the validator, to `marketwh extract` and to dbt by
a seed row, never by code. Only the number itself and the percent sign are syntax, here.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

# A number as printed: 5.4, 36,889.1, 1,094,300,000,000, 720 000 (space as thousands separator).
# ASCII digits only ([0-9], not \d, which also reads "５.４" and Arabic-Indic digits that dbt cannot
# cast). It starts where a digit run starts and is atomic: it never gives digits back, so a run of
# 20,000 digits is read once, not once per digit and again per shorter length.
NUMBER = r"(?<![0-9])(?>[0-9]{1,3}(?:(?:,[0-9]{3})+|(?: [0-9]{3})+)(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
NUMBER_RE = re.compile(NUMBER)
# a rate may be negative ("fell -5.4%"): the sign is part of the number when it touches it
PERCENT_RE = re.compile(rf"(?P<number>(?<![0-9%])[-−]?(?:{NUMBER}))\s?%")
SPELLING_KINDS = ("currency", "scale", "unit")


def parse_number(text: str) -> float:
    """A number as printed, thousands separators (comma or space) removed."""
    return float(text.replace(",", "").replace(" ", "").replace("−", "-"))


@dataclass(frozen=True)
class Amount:
    """A printed quantity in its base unit: usd/jpy/... units, tons, GWh, or percent points."""

    number: float  # the number as printed (5.4 for "US$ 5.4 billion")
    base_value: float  # in the base unit (5.4e9)
    scale: float  # scale word x unit multiplier (1e9 for billion; 1e3 for kilotons; 1 when none)
    quantity: str  # money, volume, ratio... (the quantity seeds/units.csv gives the base unit)
    base_unit: str  # usd, jpy, tons, percent... (seeds/unit_spellings.csv)
    text: str  # the exact printed text matched


# the unit an amount is per, after it: "$121/kWh", "EUR 132 per kWh" (extract reads the same words)
PER_DENOMINATOR = r"\s*(?:/|per\s)\s*(?P<per>[A-Za-z]+)\b"
_PER_UNIT = re.compile(rf"(?P<amount>.+?){PER_DENOMINATOR}")


def per_unit_base(base_unit: str, denominator: str) -> str:
    """The base unit of an amount per a unit: usd per kWh is usd_per_kwh (seeds/units.csv names it so)."""
    return f"{base_unit}_per_{denominator.lower()}"


def _alternation(spellings: Iterable[str]) -> str:
    """A regex alternative of printed spellings, longest first; a word ends at a word boundary."""
    parts = [re.escape(s) + (r"\b" if s[-1].isalnum() else "") for s in sorted(set(spellings), key=lambda s: (-len(s), s))]
    return "|".join(parts) or r"(?!x)x"


@dataclass
class Spellings:
    """The printed spellings of seeds/unit_spellings.csv, compiled: currencies (-> base unit), scale
    words (-> multiplier) and units (-> base unit and multiplier), all matched case-insensitively."""

    currencies: dict[str, str] = field(default_factory=dict)  # lowercased spelling -> base_unit
    scales: dict[str, float] = field(default_factory=dict)  # lowercased spelling -> multiplier
    units: dict[str, tuple[str, float]] = field(default_factory=dict)  # lowercased spelling -> (base_unit, multiplier)
    quantities: dict[str, str] = field(default_factory=dict)  # base_unit -> quantity (from seeds/units.csv)

    @classmethod
    def from_rows(cls, spelling_rows: Iterable[Mapping[str, str]], unit_rows: Iterable[Mapping[str, str]]) -> Spellings:
        spellings = cls(quantities={row["base_unit"]: row["quantity"] for row in unit_rows if row["base_unit"]})
        spellings.quantities.setdefault("percent", "ratio")
        for row in spelling_rows:
            spelling, kind = row["spelling"].strip(), row["kind"]
            multiplier = _float(row["multiplier"])
            if not spelling or multiplier is None:
                continue  # reported by the vocabulary checks
            if kind == "currency":
                spellings.currencies[spelling.lower()] = row["base_unit"]
            elif kind == "scale":
                spellings.scales[spelling.lower()] = multiplier
            elif kind == "unit":
                spellings.units[spelling.lower()] = (row["base_unit"], multiplier)
        spellings._compile()
        return spellings

    def _compile(self) -> None:
        currency, scale, unit = (_alternation(s) for s in (self.currencies, self.scales, self.units))
        self.money_re = re.compile(
            rf"(?:(?P<cur_pre>{currency})\s?)?(?P<number>{NUMBER})(?:\s?(?P<scale>{scale}))?"
            rf"(?:\s(?P<cur_post>{currency})(?:\s(?P<scale_post>{scale}))?)?",
            re.IGNORECASE,
        )
        self.unit_re = re.compile(rf"(?P<number>{NUMBER})(?:\s(?P<scale>{scale}))?\s?(?P<unit>{unit})", re.IGNORECASE)
        # "Nearly 13 million new electric cars", "rose 16% to 2.9 million": a scale word and no unit is a count
        self.count_re = re.compile(rf"(?P<number>{NUMBER})\s(?P<scale>{scale})(?![\w$])(?!\s*(?:{currency}|{unit}))", re.IGNORECASE)

    def parse(self, text: str) -> Amount | None:
        """Parse one printed quantity (the whole of `text`); None when it is not one."""
        text = text.strip()
        match = PERCENT_RE.fullmatch(text)
        if match:
            number = parse_number(match["number"])
            return Amount(number, number, 1.0, "ratio", "percent", text)
        match = self.unit_re.fullmatch(text)
        if match:
            return self.unit_amount(match)
        match = self.money_re.fullmatch(text)
        if match and (match["cur_pre"] or match["cur_post"]):
            return self.money_amount(match)
        per = _PER_UNIT.fullmatch(text)  # "$121/kWh": in the unit whose base unit is usd_per_kwh, when one is
        amount = self.parse(per["amount"]) if per else None
        base_unit = per_unit_base(amount.base_unit, per["per"]) if amount else ""
        if base_unit in self.quantities:
            return dataclasses.replace(amount, base_unit=base_unit, quantity=self.quantities[base_unit], text=text)
        match = self.count_re.fullmatch(text)  # "13 million": a count, when a unit counts units
        return self.count_amount(match) if match and "units" in self.quantities else None

    def unit_amount(self, match: re.Match) -> Amount:
        number = parse_number(match["number"])
        base_unit, multiplier = self.units[match["unit"].lower()]
        scale = (self.scales[match["scale"].lower()] if match["scale"] else 1.0) * multiplier
        return Amount(number, number * scale, scale, self.quantities.get(base_unit, ""), base_unit, match.group(0).strip())

    def readers(self) -> tuple[tuple[re.Pattern, Callable[[re.Match], Amount]], ...]:
        """Each amount pattern with its reader, in the order they claim a sentence: units, money, bare counts."""
        return ((self.unit_re, self.unit_amount), (self.money_re, self.money_amount), (self.count_re, self.count_amount))

    def count_amount(self, match: re.Match) -> Amount:
        """A count printed with a scale word only ("13 million"): units, at the scale's multiplier."""
        number, scale = parse_number(match["number"]), self.scales[match["scale"].lower()]
        return Amount(number, number * scale, scale, self.quantities.get("units", "count"), "units", match.group(0).strip())

    def money_amount(self, match: re.Match) -> Amount:
        number = parse_number(match["number"])
        scale_word = match["scale"] or match["scale_post"]
        scale = self.scales[scale_word.lower()] if scale_word else 1.0
        base_unit = self.currencies[(match["cur_pre"] or match["cur_post"]).lower()]
        return Amount(number, number * scale, scale, self.quantities.get(base_unit, "money"), base_unit, match.group(0).strip())


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def invisible_in_number(text: str, anywhere: bool = False) -> str | None:
    """The first invisible format character (Unicode category Cf: U+200B-U+200F, U+2060, U+FEFF,
    a soft hyphen...) that touches a digit (with `anywhere`, any), as U+XXXX; None when there is none.
    "1\u200f5.4%" reads as 15.4 % on the page but holds "5.4%" as a whole number for the checks below."""
    if text.isascii():
        return None  # the common case, in constant time: every Cf character is outside ASCII
    for found in _NON_ASCII.finditer(text):  # only the few characters outside ASCII are looked up
        index, character = found.start(), found.group(0)
        touches_digit = anywhere or text[index - 1 : index].isdigit() or text[index + 1 : index + 2].isdigit()
        if touches_digit and unicodedata.category(character) == "Cf":
            return f"U+{ord(character):04X}"
    return None


def same_value(a: float, b: float) -> bool:
    """Equal up to floating-point noise (values are curated with at most a few decimals)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# The boundaries of a printed number keep \d on purpose: any digit (a fullwidth "１" too) touching it
# makes it part of a longer number, so "5.4%" is not a whole number in "１5.4%".
_NUMBER_BEFORE = re.compile(r"[\d.,]$|(?:^|[^\d%\w])[-−]$")
_DIGIT_SPACE_BEFORE = re.compile(r"\d $")
_THOUSANDS = re.compile(r"\d{3}(?: \d{3})*(?!\d)")
_NUMBER_AFTER = re.compile(r"\d|[.,]\d")


def occurs_as_number(published: str, text: str) -> bool:
    """`published` stands in `text` as a whole printed number: not inside a longer number ('9.4%' is
    not in '19.4%', '5.4' not in '15.45'), and not behind a minus sign it leaves out."""
    if not published:
        return False
    starts_with_digit, ends_with_digit = published[0].isdigit(), published[-1].isdigit()
    in_thousands = _THOUSANDS.match(published) is not None
    start = text.find(published)
    while start >= 0:
        end = start + len(published)
        before = text[max(0, start - 3) : start]  # the rules below look at most 2 characters back
        if not (
            (starts_with_digit and _NUMBER_BEFORE.search(before))  # part of a longer number, or its minus sign
            or (in_thousands and _DIGIT_SPACE_BEFORE.search(before))  # tail of "1 720 000"
            or (ends_with_digit and _NUMBER_AFTER.match(text, end))
        ):
            return True
        start = text.find(published, start + 1)
    return False
