"""Editions of a report series, ordered by what their documents say.

A publication date is kept as printed, at its precision: a day (2024-10-15), a month (2024-10) or a
year (2024). It covers a stretch of days, from its first to its last. Of two editions of one series,
the one whose stretch ends before the other's begins is the older; where the stretches overlap (the
dates tie at their precision, one is coarser than the other can order, or one prints no date at all)
the curator's declared `edition_sequence` orders them, a larger number being a newer edition. The
validator refuses a series whose editions this cannot order, and a sequence that contradicts the
dates; dbt orders them by the same rule (int_report_editions_ordered).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import combinations

from ..seedfiles import SeedRow, SeedTable, to_int
from .common import Add, at

_PRINTED = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")


@dataclass(frozen=True)
class PrintedDate:
    """A date as printed: its precision and the first and last day it can mean."""

    printed: str
    precision: str
    first: dt.date
    last: dt.date


def printed_date(value: str) -> PrintedDate | None:
    """The date `value` prints (YYYY-MM-DD, YYYY-MM or YYYY), or None when it is none of these."""
    found = _PRINTED.fullmatch(value)
    if not found:
        return None
    year, month, day = int(found["year"]), found["month"], found["day"]
    try:
        if day is not None:
            first = last = dt.date(year, int(month), int(day))
            return PrintedDate(value, "day", first, last)
        if month is not None:
            first = dt.date(year, int(month), 1)
            following = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return PrintedDate(value, "month", first, following - dt.timedelta(days=1))
        return PrintedDate(value, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    except ValueError:
        return None


def check_date_published(table: SeedTable, row: SeedRow, add: Add) -> None:
    """date_published is empty (the document shows none) or a date as printed, at its precision."""
    value = row["date_published"]
    if value and printed_date(value) is None:
        add(
            at(
                table,
                row,
                "bad_type",
                f"date_published {value!r} is not a date as printed: YYYY-MM-DD, YYYY-MM (a month) or YYYY (a year)",
            )
        )


def _older(a: SeedRow, b: SeedRow) -> bool | None:
    """True when edition `a` is older than `b` by their printed dates, False when newer, None when
    the dates cannot tell (a tie at their precision, an overlap, or a date not printed)."""
    first, second = printed_date(a["date_published"]), printed_date(b["date_published"])
    if first is None or second is None:
        return None
    if first.last < second.first:
        return True
    if second.last < first.first:
        return False
    return None


def check_edition_order(table: SeedTable | None, reports: dict[str, SeedRow], add: Add) -> None:
    """Every two editions of a series are ordered: by their printed dates, else by distinct
    edition_sequence numbers; where both order them, they agree."""
    if table is None:
        return
    series: dict[str, list[SeedRow]] = {}
    for row in reports.values():
        series.setdefault(row["series_id"], []).append(row)
    for editions in series.values():
        for earlier, later in combinations(sorted(editions, key=lambda row: row.line), 2):
            by_date = _older(earlier, later)
            first, second = to_int(earlier["edition_sequence"]), to_int(later["edition_sequence"])
            by_sequence = None if first is None or second is None or first == second else first < second
            if by_date is None and by_sequence is None:
                add(
                    at(
                        table,
                        later,
                        "edition_order_unknown",
                        f"editions {earlier['report_id']!r} (line {earlier.line}) and {later['report_id']!r} of series "
                        f"{later['series_id']!r} cannot be ordered: their dates published "
                        f"({earlier['date_published'] or 'not printed'}, {later['date_published'] or 'not printed'}) "
                        "tie at their precision; give both an edition_sequence, the newer edition the larger number",
                    )
                )
            elif by_date is not None and by_sequence is not None and by_date != by_sequence:
                add(
                    at(
                        table,
                        later,
                        "edition_sequence_contradicts_dates",
                        f"edition_sequence of {earlier['report_id']!r} (line {earlier.line}) and {later['report_id']!r} "
                        f"orders them against their dates published ({earlier['date_published']}, "
                        f"{later['date_published']}): the newer edition has the larger number",
                    )
                )
