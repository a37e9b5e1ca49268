"""Are two warehouse files' marts the same? Every mart row by row: same tables, same columns and
types, the same multiset of rows, numbers equal to 1e-9 relative (an aggregate summed in another
order may differ in its last bits).

Used where two ways of building must agree: a refresh that changed little against a full build of the
same inputs (the benchmark's test), and later another engine against DuckDB.
"""

from __future__ import annotations

import math
from pathlib import Path

from .reader import sql_literal

# differs from build to build by nature: it names the run, the commit and when it was built
NOT_MODELS = ("warehouse_build",)
_FLOATS = ("DOUBLE", "FLOAT", "REAL")


def _is_number(data_type: str) -> bool:
    return data_type.upper() in _FLOATS or data_type.upper().startswith("DECIMAL")


def _normalized(column: str, data_type: str) -> str:
    quoted = f'"{column}"'
    if _is_number(data_type):
        # mantissa to 9 significant digits and exponent: equal to 1e-9 relative
        exponent = f"case when {quoted} is null or {quoted} = 0 then 0 else floor(log10(abs({quoted}))) end"
        return f'round({quoted} / pow(10, {exponent}), 8) as {quoted}, {exponent} as "{column}__exponent"'
    return quoted


def _unmatched(left: list[tuple], right: list[tuple], width: int, floats: list[int]) -> tuple[int, int]:
    """How many of the rows left over on each side (normalized, as `_normalized` selects them) have no
    partner on the other: the same other values, and each number equal to 1e-8 relative. Rounding the
    mantissa to 8 decimals is not enough alone: 108.7890625 and 108.78906249999999 round apart, and
    100 and 99.99999999999999 have different exponents."""
    positions, at = [], 0  # where each column's values stand in a normalized row: (value, exponent) for a number
    for index in range(width):
        positions.append((at, at + 1) if index in floats else (at, None))
        at += 2 if index in floats else 1

    def key(row: tuple) -> tuple:
        return tuple(row[p] for p, e in positions if e is None)

    def numbers(row: tuple) -> list[float | None]:
        return [None if row[p] is None else float(row[p]) * 10 ** float(row[e]) for p, e in positions if e is not None]

    def same(x: float | None, y: float | None) -> bool:
        return (x is None) == (y is None) and (x is None or math.isclose(x, y, rel_tol=1e-8, abs_tol=1e-12))

    def close(a: list, b: list) -> bool:
        return all(same(x, y) for x, y in zip(a, b, strict=True))

    unmatched_right = list(right)
    unmatched_left = 0
    for row in left:
        partner = next((other for other in unmatched_right if key(other) == key(row) and close(numbers(other), numbers(row))), None)
        if partner is None:
            unmatched_left += 1
        else:
            unmatched_right.remove(partner)
    return unmatched_left, len(unmatched_right)


def mart_differences(left: Path, right: Path, schema: str = "marts", ignore: tuple[str, ...] = NOT_MODELS) -> list[str]:
    """What differs between the `schema` tables of two DuckDB files (empty: the same), each opened
    read-only."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {sql_literal(left)} as l (read_only)")
        con.execute(f"attach {sql_literal(right)} as r (read_only)")
        columns = {}
        for side in ("l", "r"):
            rows = con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_catalog = ? and table_schema = ? order by table_name, ordinal_position",
                [side, schema],
            ).fetchall()
            tables: dict[str, list[tuple[str, str]]] = {}
            for table, column, data_type in rows:
                if table not in ignore:
                    tables.setdefault(table, []).append((column, data_type))
            columns[side] = tables
        differences = [f"{schema}.{t} only in {left}" for t in sorted(set(columns["l"]) - set(columns["r"]))]
        differences += [f"{schema}.{t} only in {right}" for t in sorted(set(columns["r"]) - set(columns["l"]))]
        for table in sorted(set(columns["l"]) & set(columns["r"])):
            if columns["l"][table] != columns["r"][table]:
                differences.append(f"{schema}.{table}: columns differ: {columns['l'][table]} vs {columns['r'][table]}")
                continue
            select = ", ".join(_normalized(column, data_type) for column, data_type in columns["l"][table])
            floats = [i for i, (_, data_type) in enumerate(columns["l"][table]) if _is_number(data_type)]
            leftover = {}
            for a, b in (("l", "r"), ("r", "l")):
                leftover[a] = con.execute(
                    f'select {select} from {a}."{schema}"."{table}" except all select {select} from {b}."{schema}"."{table}"'
                ).fetchall()
            unmatched = _unmatched(leftover["l"], leftover["r"], len(columns["l"][table]), floats)
            for a, extra in zip(("l", "r"), unmatched, strict=True):
                if extra:
                    differences.append(f"{schema}.{table}: {extra} rows of {left if a == 'l' else right} are not in the other")
        return differences
    finally:
        con.close()
