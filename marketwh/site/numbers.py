"""How the report site prints a number: one rule for every page, table, chart axis and CSV.

A value is shown rounded to the decimals the warehouse serves beside it (`*_decimals` columns: the
precision the source printed it with, a derived value one digit more at most; may be negative, so
"2.5 million tons" served in tons prints 2,500,000); thousands are separated; scientific notation is
never used; a missing value prints as a word with a meaning, never `None` or `nan`. The full value, as
stored, goes into the cell's tooltip (`title`) and the table's CSV file. Years are not quantities: they
print as digits without separators. A publication date prints at the precision the report printed it
with, in words ("15 October 2024", "October 2024", "2024"): "2024-10" beside an edition label such as
"2024-2032" reads as a span of years; its CSV cell keeps the date as printed ("2024-10"), which sorts.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from markupsafe import Markup, escape

MISSING = "—"  # a cell with no value where the column says why (a period not stated, no spread of one estimate)
PERCENT_DECIMALS = 1  # growth rates, spreads and implied rates in percent (a printed CAGR keeps its own)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_PRINTED_DATE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")


def is_missing(value: Any) -> bool:
    """None, NaN, pandas' NA/NaT: a value the mart does not have."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _exact(value: int | float) -> Decimal:
    """The decimal text of a stored number: an int whole, a float as its shortest repr (numpy's too)."""
    return Decimal(int(value)) if isinstance(value, int) else Decimal(repr(float(value)))


def full_number(value: Any) -> str:
    """The value as stored, every digit, thousands separated, never in scientific notation."""
    if is_missing(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and math.isinf(value):
        return "infinite"
    text = format(_exact(value), ",f")  # repr: the shortest text that is exactly the stored float
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: Any, decimals: Any = None, missing: str = MISSING) -> str:
    """`value` rounded to `decimals` (10^-decimals; negative rounds to tens, hundreds, ...), thousands
    separated. Without `decimals` an integer prints whole and a float as stored (a printed figure or
    rate keeps the digits it was printed with). Missing -> `missing`."""
    if is_missing(value):
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and math.isinf(value):
        return "infinite"
    if is_missing(decimals):
        return full_number(value)
    places = int(decimals)
    # half up on the exact decimal text of the value (0.125 -> 0.13), as a person rounds a printed number
    rounded = _exact(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(rounded, f",.{max(places, 0)}f")
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # never "-0.0"


def format_percent(value: Any, decimals: Any = PERCENT_DECIMALS, missing: str = MISSING) -> str:
    """A rate or share in percent, one decimal unless the column gives its own."""
    return format_number(value, PERCENT_DECIMALS if is_missing(decimals) else decimals, missing)


def format_year(value: Any, missing: str = "not stated") -> str:
    """A year: digits only, never `2,027`."""
    if is_missing(value):
        return missing
    return str(int(value))


def format_published(printed: Any, missing: str = "not stated") -> str:
    """A publication date as printed (date_published_printed: YYYY-MM-DD, YYYY-MM or YYYY), in words at
    its precision: "15 October 2024", "October 2024", "2024"; never a day the report does not print."""
    if is_missing(printed) or not str(printed).strip():
        return missing
    text = str(printed).strip()
    found = _PRINTED_DATE.fullmatch(text)
    if not found or (found["month"] and not 1 <= int(found["month"]) <= 12):
        return text  # the validator refuses any other shape; shown as it is rather than guessed at
    month = MONTHS[int(found["month"]) - 1] if found["month"] else ""
    return " ".join(part for part in (str(int(found["day"])) if found["day"] else "", month, found["year"]) if part)


def published_html(printed: Any, missing: str = "not stated") -> Markup:
    """A publication date for a page: in words at its precision; the date as printed in `data-value`,
    for the table's CSV file."""
    if is_missing(printed) or not str(printed).strip():
        return Markup('<span class="missing" data-value="">{}</span>').format(missing)
    return Markup('<span class="date" data-value="{}">{}</span>').format(str(printed).strip(), format_published(printed))


def number_html(value: Any, decimals: Any = None, missing: str = MISSING) -> Markup:
    """A number for a table cell: the rounded value; its full value in the tooltip and, for the table's
    CSV file, in `data-value`."""
    shown = format_number(value, decimals, missing)
    if is_missing(value):
        return Markup('<span class="missing" data-value="">{}</span>').format(shown)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Markup(escape(shown))
    full = full_number(value)
    title = "" if full == shown else f"as stored: {full}"
    # data-value is the value as stored, for the table's CSV file: every digit, no separators, no exponent;
    # escaped as Markup.format escapes its arguments, at a third of its cost (the site's most called filter)
    return Markup(f'<span class="n" data-value="{escape(full.replace(",", ""))}" title="{escape(title)}">{escape(shown)}</span>')
