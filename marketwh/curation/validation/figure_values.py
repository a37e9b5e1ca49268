"""Rules of a figure's number (seeds/report_figures.csv): it lies in its metric's range, it is what the
report prints (value_as_published, a single number or a printed range with `range_high`), its qualifier
is one seeds/qualifiers.csv defines, and one quote never states two values for one figure.

Two different values for one figure from two sentences of one document are the publisher's, not ours:
each value stands in its own quote (checked above), so the validator lets both through and dbt raises
the finding (audits.audit_figure_contradictions). Only the same quote entered twice with two values is a
curator's slip, refused here."""

from __future__ import annotations

import re

from ..amounts import NUMBER, Amount, same_value
from ..seedfiles import SeedRow, SeedTable, to_float
from ..vocabulary import SPLIT_KINDS, Vocabulary
from .common import at, check_known

POSITIVE_QUANTITIES = ("money", "volume", "count")
# a printed range: "5%-15%", "60–100 kg", "between 5 % and 15 %", "35 to 50%"
_RANGE = re.compile(rf"(?:between\s+)?(?P<low>.*?{NUMBER}.*?)\s?(?:-|–|—|\bto\b|\band\b)\s?(?P<high>.*?{NUMBER}.*)", re.IGNORECASE)
_NUMBER_RE = re.compile(NUMBER)


def check_value_range(table: SeedTable, row: SeedRow, value: float, unit: SeedRow | None, vocabulary: Vocabulary, add) -> None:
    """A share lies within the audit thresholds' share_min..share_max; money and volumes are positive;
    a range's high end lies above its low end."""
    if unit is None:
        return
    low, high = vocabulary.thresholds.get("share_min"), vocabulary.thresholds.get("share_max")
    top = to_float(row.get("range_high", "")) or value
    if (
        vocabulary.metric_kind(row["metric"]) in SPLIT_KINDS
        and unit["quantity"] == "ratio"
        and low is not None
        and high is not None
        and not (low <= value <= high and low <= top <= high)
    ):
        add(at(table, row, "share_out_of_range", f"a {row['metric']} of {row['value']} % is outside {low:g}-{high:g}"))
    if vocabulary.is_positive(unit["quantity"]) and value <= 0:
        add(
            at(
                table,
                row,
                "value_not_positive",
                f"a {unit['quantity']} value must be greater than 0, not {row['value']}: a market the report does not size is left out",
            )
        )
    if row.get("range_high") and top <= value:
        message = f"range_high {row['range_high']} is not above value {row['value']}: value is the low end of the range"
        add(at(table, row, "range_order", message))


def check_qualifier(table: SeedTable, row: SeedRow, vocabulary: Vocabulary, add) -> None:
    """A qualifier is one of seeds/qualifiers.csv (its side and widening make the figure's interval)."""
    if row["qualifier"] and vocabulary.known.qualifiers:
        check_known(table, row, "qualifier", list(vocabulary.qualifiers), "unknown_qualifier", "in seeds/qualifiers.csv", add)


def printed_amounts(published: str, vocabulary: Vocabulary, is_range: bool) -> list[Amount] | None:
    """The amounts value_as_published prints: one, or a range's low and high ends (the low end may
    leave its unit to the high end: '60–100 kg', '35–50%'); None when it cannot be read."""
    if not is_range:
        amount = vocabulary.spellings.parse(published)
        return [amount] if amount else None
    match = _RANGE.fullmatch(published.strip())
    if match is None:
        return None
    high = vocabulary.spellings.parse(match["high"])
    if high is None:
        return None
    number = _NUMBER_RE.search(match["high"])
    head, tail = match["high"][: number.start()], match["high"][number.end() :]
    for text in (match["low"], match["low"] + tail, head + match["low"], head + match["low"] + tail):
        low = vocabulary.spellings.parse(text)
        if low is not None:
            return [low, high]
    return None


def check_published_amount(table: SeedTable, row: SeedRow, value: float, unit: SeedRow, vocabulary: Vocabulary, add) -> None:
    """The value (and range_high) and unit say what the report prints (value_as_published)."""
    published, range_high = row["value_as_published"], to_float(row.get("range_high", ""))
    amounts = printed_amounts(published, vocabulary, bool(row.get("range_high")))
    if amounts is None:
        shape = "a range of two quantities (e.g. '5%-15%', '60–100 kg')" if row.get("range_high") else "a quantity with its unit"
        add(
            at(
                table,
                row,
                "value_unparseable",
                f"cannot read {published!r} as {shape} (e.g. 'US$ 5.4 billion', '13.4%', '720 000 tons'); "
                "a currency, scale word or unit it prints may be missing from seeds/unit_spellings.csv",
            )
        )
        return
    stated = [(value, row["value"]), (range_high, row.get("range_high", ""))][: len(amounts)]
    for amount, (number, written) in zip(amounts, stated, strict=True):
        if number is not None and _amount_problem(table, row, number, written, unit, amount, add):
            return


def _amount_problem(table: SeedTable, row: SeedRow, value: float, written: str, unit: SeedRow, amount: Amount, add) -> bool:
    published = row["value_as_published"]
    expected = value * float(unit["multiplier_to_base"] or 1)
    if amount.quantity != unit["quantity"]:
        add(at(table, row, "unit_mismatch", f"{published!r} is a {amount.quantity} figure but unit {row['unit']!r} is {unit['quantity']}"))
    elif unit["quantity"] == "ratio" and same_value(value * 100, amount.base_value) and not same_value(value, amount.base_value):
        add(
            at(
                table,
                row,
                "percent_as_fraction",
                f"value {written} looks like a fraction; the report prints {published!r}: write {amount.number:g} with unit percent",
            )
        )
    elif not same_value(expected, amount.base_value):
        add(at(table, row, "value_mismatch", f"value {written} {row['unit']} does not match {published!r} as published"))
    elif amount.base_unit != unit["base_unit"]:
        rule = "currency_mismatch" if amount.quantity == "money" else "unit_mismatch"
        add(at(table, row, rule, f"{published!r} is counted in {amount.base_unit} but unit {row['unit']!r} in {unit['base_unit']}"))
    else:
        return False
    return True


def check_contradictions(table: SeedTable, by_key: dict[tuple, list[tuple[SeedRow, float]]], add) -> None:
    """Rows of one figure key state one value (restatements, in any wording: 'exceed 614.1 GWh' and 'reach
    614.1 GWh' are one figure with two quotes). Two values from two quotes are the publisher's (a finding
    in dbt); two values from the same quote are a slip: one of them is not what the quote says of it."""
    for key, keyed_rows in by_key.items():
        first_of_quote: dict[str, tuple[SeedRow, float]] = {}
        for row, value in keyed_rows:
            first, first_value = first_of_quote.setdefault(row["quote"], (row, value))
            if not same_value(first_value, value):
                add(
                    at(
                        table,
                        row,
                        "contradictory_figures",
                        f"figure {row['figure_id']} ({row['value_as_published'] or row['value']}) disagrees with figure "
                        f"{first['figure_id']} on line {first.line} ({first['value_as_published'] or first['value']}) "
                        f"for the same {key[1]} of {key[3]} in {key[5] or key[6] + '-' + key[7]}, from the same quote: "
                        "one sentence states one value for a figure (two sentences that disagree are the publisher's finding)",
                    )
                )
