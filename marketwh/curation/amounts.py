"""Reading numbers as reports print them: "US$ 5.4 billion", "$36,889.1 million", "7.16 USD Billion",
"1,094,300,000,000 yen", "720 000 tons", "13.4%".

One place for scale words and currency markers, used by the validator (does a seed value match
what the report prints?) and by `marketwh extract` (which figures does a document state?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALE_WORDS = {
    "trillion": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}

# Markers as printed -> ISO 4217 code. Currencies are kept as published, never converted.
CURRENCY_MARKERS = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "¥": "JPY",
    "yen": "JPY",
    "jpy": "JPY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
}

VOLUME_WORDS = {
    "tons": 1.0,
    "ton": 1.0,
    "tonnes": 1.0,
    "tonne": 1.0,
    "t": 1.0,
    "kilotons": 1e3,
    "kilotonnes": 1e3,
    "kt": 1e3,
}

# A number as printed: 5.4, 36,889.1, 1,094,300,000,000, 720 000 (space as thousands separator).
NUMBER = r"\d{1,3}(?:(?:,\d{3})+|(?: \d{3})+)(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER_RE = re.compile(NUMBER)

_CURRENCY_PREFIX = r"(?P<cur_pre>US\$|\$|¥|€|(?:USD|RMB|CNY|JPY|EUR)\b)\s?"
_SCALE = r"(?P<scale>trillion|billion|million|thousand|bn|mn)\b"
_CURRENCY_SUFFIX = r"(?P<cur_post>USD|US dollars|yen|yuan|RMB|CNY|JPY|EUR|euros?)\b"
_VOLUME = r"(?P<volume>kilotonnes|kilotons|tonnes|tons|tonne|ton|kt)"

MONEY_RE = re.compile(
    rf"(?:{_CURRENCY_PREFIX})?(?P<number>{NUMBER})(?:\s?{_SCALE})?"
    rf"(?:\s(?:{_CURRENCY_SUFFIX})(?:\s{_SCALE.replace('?P<scale>', '?P<scale_post>')})?)?",
    re.IGNORECASE,
)
# a rate may be negative ("fell -5.4%"): the sign is part of the number when it touches it
PERCENT_RE = re.compile(rf"(?P<number>(?<![\d%])[-−]?(?:{NUMBER}))\s?%")
VOLUME_RE = re.compile(rf"(?P<number>{NUMBER})(?:\s(?P<scale>million|thousand))?\s(?:metric\s)?{_VOLUME}", re.IGNORECASE)


def parse_number(text: str) -> float:
    """A number as printed, thousands separators (comma or space) removed."""
    return float(text.replace(",", "").replace(" ", "").replace("−", "-"))


@dataclass(frozen=True)
class Amount:
    """A printed quantity in its base unit: USD/JPY/... units, tons, or percent points."""

    number: float  # the number as printed (5.4 for "US$ 5.4 billion")
    base_value: float  # in the base unit (5.4e9)
    scale: float  # the scale word's multiplier (1e9 for billion; 1 when none)
    quantity: str  # money, volume or ratio
    currency: str | None  # ISO code for money
    text: str  # the exact printed text matched


def parse_amount(text: str) -> Amount | None:
    """Parse one printed quantity (the whole of `text`); None when it is not one."""
    text = text.strip()
    match = PERCENT_RE.fullmatch(text)
    if match:
        number = parse_number(match["number"])
        return Amount(number, number, 1.0, "ratio", None, text)
    match = VOLUME_RE.fullmatch(text)
    if match:
        number = parse_number(match["number"])
        scale = SCALE_WORDS[match["scale"].lower()] if match["scale"] else 1.0
        scale *= VOLUME_WORDS[match["volume"].lower()]
        return Amount(number, number * scale, scale, "volume", None, text)
    match = MONEY_RE.fullmatch(text)
    if match and (match["cur_pre"] or match["cur_post"]):
        number = parse_number(match["number"])
        scale_word = match["scale"] or match["scale_post"]
        scale = SCALE_WORDS[scale_word.lower()] if scale_word else 1.0
        marker = (match["cur_pre"] or match["cur_post"]).lower()
        currency = CURRENCY_MARKERS.get(marker) or CURRENCY_MARKERS.get(marker.rstrip("s"))
        if marker == "us dollars":
            currency = "USD"
        return Amount(number, number * scale, scale, "money", currency, text)
    return None


def same_value(a: float, b: float) -> bool:
    """Equal up to floating-point noise (values are curated with at most a few decimals)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def occurs_as_number(published: str, text: str) -> bool:
    """`published` stands in `text` as a whole printed number: not inside a longer number ('9.4%' is
    not in '19.4%', '5.4' not in '15.45'), and not behind a minus sign it leaves out."""
    if not published:
        return False
    starts_with_digit, ends_with_digit = published[0].isdigit(), published[-1].isdigit()
    for match in re.finditer(re.escape(published), text):
        before, after = text[: match.start()], text[match.end() :]
        if starts_with_digit and (re.search(r"[\d.,]$", before) or re.search(r"(?:^|[^\d%\w])[-−]$", before)):
            continue  # part of a longer number, or the minus sign of a negative one
        if re.search(r"\d $", before) and re.match(r"\d{3}(?: \d{3})*(?!\d)", published):
            continue  # the tail of a number printed with spaces between thousands ("1 720 000")
        if ends_with_digit and (re.match(r"\d|[.,]\d", after)):
            continue
        return True
    return False
