"""Are two warehouse files' marts the same? Every mart row by row: same tables, same columns and
types, the same multiset of rows, numbers equal to 1e-9 relative (an aggregate summed in another
order may differ in its last bits).

Used where two ways of building must agree: a refresh that changed little against a full build of the
same inputs (the benchmark's test), and later another engine against DuckDB.
"""

from __future__ import annotations

from pathlib import Path

from .reader import sql_literal

# differs from build to build by nature: it names the run, the commit and when it was built
NOT_MODELS = ("warehouse_build",)
_FLOATS = ("DOUBLE", "FLOAT", "REAL")


def _normalized(column: str, data_type: str) -> str:
    quoted = f'"{column}"'
    if data_type.upper() in _FLOATS or data_type.upper().startswith("DECIMAL"):
        # mantissa to 9 significant digits and exponent: equal to 1e-9 relative
        exponent = f"case when {quoted} is null or {quoted} = 0 then 0 else floor(log10(abs({quoted}))) end"
        return f'round({quoted} / pow(10, {exponent}), 8) as {quoted}, {exponent} as "{column}__exponent"'
    return quoted


def mart_differences(left: Path, right: Path, schema: str = "marts", ignore: tuple[str, ...] = NOT_MODELS) -> list[str]:
    """What differs between the `schema` tables of two DuckDB files (empty: the same), each opened
    read-only."""
    import duckdb

    con = duckdb.connect()
    try:
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
            for a, b in (("l", "r"), ("r", "l")):
                extra = con.execute(
                    f'select count(*) from (select {select} from {a}."{schema}"."{table}" '
                    f'except all select {select} from {b}."{schema}"."{table}")'
                ).fetchall()[0][0]
                if extra:
                    differences.append(f"{schema}.{table}: {extra} rows of {left if a == 'l' else right} are not in the other")
        return differences
    finally:
        con.close()
