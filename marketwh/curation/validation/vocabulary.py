"""Rules of the vocabulary seeds themselves (unique keys, synonyms pointing at real segments), and
the problem a figure or claim gets when it names a dimension or segment the vocabulary lacks."""

from __future__ import annotations

from ..amounts import SPELLING_KINDS
from ..seedfiles import SeedRow, SeedTable, to_float
from ..vocabulary import METRIC_KINDS, QUALIFIER_SIDES, Vocabulary
from .common import Add, at, check_known, check_unique, rows, suggest
from .taxonomy import check_parents

# columns of the vocabulary seeds that may never be empty
REQUIRED = {
    "segments": ("dimension", "segment_key", "display_name"),
    "segment_synonyms": ("dimension", "synonym", "segment_key"),
    "units": ("unit_key", "quantity", "multiplier_to_base", "mart_unit"),
    "audit_thresholds": ("rule", "threshold"),
    "markets": ("market_key", "display_name"),
    "metrics": ("metric", "display_name", "kind", "quantity", "additive", "series", "is_market_size", "stated_by_reports"),
    "claim_types": ("claim_type", "lists_segments", "ranks"),
    "unit_spellings": ("spelling", "kind", "multiplier"),
    "quantities": ("quantity", "display_name", "is_positive"),
    "dimensions": ("dimension", "display_name", "is_split"),
    "qualifiers": ("qualifier", "side"),
    "cue_words": ("cue", "kind"),
}


def load_vocabulary(tables: dict[str, SeedTable | None], add: Add) -> Vocabulary:
    """Index the vocabulary seeds (None: unreadable, already reported) and check them."""
    vocabulary = Vocabulary.from_tables(tables)
    for name, columns in REQUIRED.items():
        table = tables.get(name)
        for row in table.rows if table else []:
            for column in columns:
                if not row[column]:
                    add(at(table, row, "value_missing", f"column {column} is empty: every {name} row needs it"))
    check_unique(tables.get("quantities"), ("quantity",), add)
    check_unique(tables.get("dimensions"), ("dimension",), add)
    check_unique(tables.get("qualifiers"), ("qualifier",), add)
    quantities = tables.get("quantities")
    for row in rows(quantities):
        if row["parent_quantity"]:
            check_known(quantities, row, "parent_quantity", list(vocabulary.quantities), "unknown_quantity", "in seeds/quantities.csv", add)
    _check_units(tables.get("units"), vocabulary, add)
    check_unique(tables.get("segments"), ("dimension", "segment_key"), add)
    _check_segment_names(tables.get("segments"), tables.get("segment_synonyms"), add)
    check_parents(tables.get("segments"), add)
    check_unique(tables.get("units"), ("unit_key",), add)
    # a printed amount finds its unit by base unit and multiplier: two such units would be a guess
    check_unique(tables.get("units"), ("base_unit", "multiplier_to_base"), add)
    check_unique(tables.get("audit_thresholds"), ("rule",), add)
    check_unique(tables.get("markets"), ("market_key",), add)
    check_unique(tables.get("metrics"), ("metric",), add)
    check_unique(tables.get("claim_types"), ("claim_type",), add)
    _check_metrics(tables.get("metrics"), vocabulary, add)
    _check_spellings(tables.get("unit_spellings"), vocabulary, add)
    _check_qualifiers(tables.get("qualifiers"), add)
    _check_cue_words(tables.get("cue_words"), vocabulary, add)
    segments = tables.get("segments")
    # a dimension is a row of seeds/dimensions.csv: that row says whether (and under which name) the
    # marts serve its splits, so a segment of an undeclared dimension would be silently left unserved
    if vocabulary.known.dimensions:
        for row in segments.rows if segments else []:
            if row["dimension"]:
                check_known(segments, row, "dimension", list(vocabulary.dimensions), "unknown_dimension", "in seeds/dimensions.csv", add)
    if vocabulary.known.markets:
        for row in segments.rows if segments else []:
            if row["market"]:
                check_known(segments, row, "market", list(vocabulary.markets), "unknown_market", "in seeds/markets.csv", add)
    claim_types = tables.get("claim_types")
    for row in claim_types.rows if claim_types else []:
        if row["dimension"] and vocabulary.known.segments:
            check_known(claim_types, row, "dimension", list(vocabulary.segments), "unknown_dimension", "in seeds/segments.csv", add)
    for row in vocabulary.synonym_rows:
        known = list(vocabulary.segments.get(row["dimension"], {}))
        if row["segment_key"] not in known:
            add(
                at(
                    tables["segment_synonyms"],
                    row,
                    "unknown_segment",
                    f"synonym {row['synonym']!r} maps to unknown segment {row['dimension']}:{row['segment_key']}"
                    + suggest(row["segment_key"], known),
                )
            )
    return vocabulary


def _check_segment_names(segments: SeedTable | None, synonyms: SeedTable | None, add: Add) -> None:
    """Within a dimension of one market's taxonomy and the shared one, every name a seed may use for a
    segment (its key, its display name and its synonyms, case-insensitively, as dbt's int_segment_names
    reads them) stands for one segment; two markets may each use a name for their own segment. Two
    segments that print the same are one segment entered twice, or a look-alike key; a synonym that is
    another segment's name would silently move that segment's figures."""
    market_of = {(row["dimension"], row["segment_key"]): row["market"] for row in rows(segments)}
    seen: dict[tuple[str, str], list[tuple[str, str, str]]] = {}  # (dimension, name) -> [(key, market, where)]
    named = [(segments, row, row["segment_key"], (row["segment_key"].lower(), row["display_name"].lower())) for row in rows(segments)]
    named += [(synonyms, row, row["segment_key"], (row["synonym"].lower(),)) for row in rows(synonyms)]
    for table, row, key, names in named:
        market = market_of.get((row["dimension"], key), "")
        for name in dict.fromkeys(names):
            earlier = seen.setdefault((row["dimension"], name), [])
            # a market's taxonomy is its own namespace: a clash is within one market, or with a shared segment
            clash = next((e for e in earlier if e[0] != key and (e[1] == market or "" in (e[1], market))), None)
            if clash:
                add(
                    at(
                        table,
                        row,
                        "segment_name_ambiguous",
                        f"{row['dimension']} name {name!r} stands for {key} here and for {clash[0]} on {clash[2]}"
                        + (f" (market {clash[1] or market})" if clash[1] or market else "")
                        + ": one name, one segment (a look-alike key, the same segment entered twice, or a synonym of another segment)",
                    )
                )
            earlier.append((key, market, f"{table.display_path}:{row.line}"))


def _check_quantity(table: SeedTable | None, row: SeedRow, vocabulary: Vocabulary, add: Add) -> None:
    if row["quantity"] and vocabulary.known.quantities and row["quantity"] not in vocabulary.quantities:
        add(
            at(
                table,
                row,
                "unknown_quantity",
                f"quantity {row['quantity']!r} is not in seeds/quantities.csv ({', '.join(vocabulary.quantities)}): add its row there first"
                + suggest(row["quantity"], list(vocabulary.quantities)),
            )
        )


def _check_metrics(table: SeedTable | None, vocabulary: Vocabulary, add: Add) -> None:
    """Each metric has a kind the code knows and a quantity units have; a growth or rate belongs to a
    series that has a level to check it against."""
    levels = {row["series"] for row in table.rows if row["kind"] == "level"} if table else set()
    for row in table.rows if table else []:
        if row["kind"] and row["kind"] not in METRIC_KINDS:
            add(at(table, row, "unknown_metric_kind", f"kind {row['kind']!r} is not one of {', '.join(METRIC_KINDS)}"))
        _check_quantity(table, row, vocabulary, add)
        if row["kind"] in ("growth", "rate") and row["series"] and row["series"] not in levels:
            add(
                at(
                    table,
                    row,
                    "series_without_level",
                    f"series {row['series']!r} has no level metric: a {row['kind']} is checked against the levels of its series",
                )
            )
        if row["is_market_size"] == "true" and row["kind"] != "level":
            add(at(table, row, "market_size_not_level", "is_market_size is true only for a level metric"))
    # a segment's share is applied to the total of its metric's series (dbt's int_segment_splits): two share
    # metrics of one series would state two shares of one total for each segment
    share_of_series: dict[str, SeedRow] = {}
    for row in table.rows if table else []:
        if row["kind"] == "share" and row["series"]:
            first = share_of_series.setdefault(row["series"], row)
            if first is not row:
                add(
                    at(
                        table,
                        row,
                        "series_with_two_shares",
                        f"series {row['series']!r} has a share metric already ({first['metric']!r}, line {first.line}): "
                        "a series has one share metric, the one its segments' shares of its total are stated in",
                    )
                )


# what a unit and the unit its figures are served in (its mart_unit) must share: only the scale may differ
SAME_MEASURE = ("quantity", "base_unit", "currency")


def _check_units(table: SeedTable | None, vocabulary: Vocabulary, add: Add) -> None:
    """A unit has a known quantity and a positive multiplier; its mart unit is a unit of the same
    quantity, base unit and currency that is served as itself. dbt converts a figure to its unit's
    mart unit by the two multipliers and labels it with the mart unit: another currency or quantity
    there would serve US$ as yen, or tons as US$, with every other check passing."""
    for row in rows(table):
        _check_quantity(table, row, vocabulary, add)
        multiplier = to_float(row["multiplier_to_base"])
        if multiplier is not None and not multiplier > 0:
            add(at(table, row, "multiplier_not_positive", f"multiplier_to_base {row['multiplier_to_base']} must be greater than 0"))
        mart = vocabulary.units.get(row["mart_unit"])
        if row["mart_unit"] and mart is None:
            add(at(table, row, "unknown_unit", f"mart_unit {row['mart_unit']!r} is not a unit_key of seeds/units.csv"))
        if mart is None:
            continue
        differ = [
            f"{column} {mart[column] or '(none)'!r}, not {row[column] or '(none)'!r}"
            for column in SAME_MEASURE
            if mart[column] != row[column]
        ]
        if differ:
            add(
                at(
                    table,
                    row,
                    "mart_unit_mismatch",
                    f"mart_unit {row['mart_unit']!r} has {'; '.join(differ)}: a unit is served in a unit of the same "
                    "quantity, base unit and currency (only the scale may differ)",
                )
            )
        elif mart["mart_unit"] != mart["unit_key"]:
            add(
                at(
                    table,
                    row,
                    "mart_unit_not_served",
                    f"mart_unit {row['mart_unit']!r} is itself served as {mart['mart_unit']!r}: name the unit figures are served in",
                )
            )


def _check_spellings(table: SeedTable | None, vocabulary: Vocabulary, add: Add) -> None:
    """A spelling has a known kind; a currency or unit names a base unit of seeds/units.csv."""
    base_units = sorted({row["base_unit"] for row in vocabulary.units.values()} | {"percent"})
    for row in table.rows if table else []:
        multiplier = to_float(row["multiplier"])
        if multiplier is not None and not multiplier > 0:
            add(at(table, row, "multiplier_not_positive", f"multiplier {row['multiplier']} must be greater than 0"))
        if row["kind"] not in SPELLING_KINDS:
            add(at(table, row, "unknown_spelling_kind", f"kind {row['kind']!r} is not one of {', '.join(SPELLING_KINDS)}"))
        elif row["kind"] != "scale" and vocabulary.known.units:
            check_known(table, row, "base_unit", base_units, "unknown_unit", "a base_unit of seeds/units.csv", add)
    check_unique(table, ("spelling",), add)


def segment_problem(vocabulary: Vocabulary, table: SeedTable, row: SeedRow, dimension: str, name: str, market: str | None = None):
    """The problem with naming `name` in `dimension` in a report of `market`, or None when the
    vocabulary knows it (shared by every market, or of that market's taxonomy)."""
    if dimension not in vocabulary.segments:
        return at(
            table,
            row,
            "unknown_dimension",
            f"dimension {dimension!r} is not in the taxonomy" + suggest(dimension, list(vocabulary.segments)),
        )
    key = vocabulary.resolve_segment(dimension, name, market if vocabulary.known.markets else None)
    if key is not None:
        return None
    key = vocabulary.resolve_segment(dimension, name)
    if key is None:
        known = list(vocabulary.segments[dimension]) + [row["synonym"] for row in vocabulary.synonym_rows if row["dimension"] == dimension]
        return at(
            table,
            row,
            "unknown_segment",
            f"segment {name!r} is not a {dimension} in seeds/segments.csv or seeds/segment_synonyms.csv" + suggest(name, known),
        )
    owner = vocabulary.segment_market(dimension, key)
    if market and owner and owner != market:
        return at(
            table,
            row,
            "segment_of_another_market",
            f"segment {dimension}:{key} belongs to the {owner} taxonomy, but the report sizes {market}: "
            f"add the segment for {market} in seeds/segments.csv (or share it: leave its market empty)",
        )
    return None


def _check_qualifiers(table: SeedTable | None, add: Add) -> None:
    """A qualifier is written as figures hold it (lowercase, single-spaced), once; its side is known; a
    widening is a percent of at least 0, and only a one-sided qualifier may leave it empty (no bound)."""
    check_unique(table, ("qualifier",), add)
    for row in rows(table):
        qualifier, side, widening = row["qualifier"], row["side"], row["widening_pct"]
        if qualifier and qualifier != " ".join(qualifier.lower().split()):
            add(at(table, row, "qualifier_spelling", f"qualifier {qualifier!r}: write it lowercase and single-spaced, as figures hold it"))
        if side and side not in QUALIFIER_SIDES:
            add(at(table, row, "unknown_qualifier_side", f"side {side!r} is not one of {', '.join(QUALIFIER_SIDES)}"))
        if widening and (to_float(widening) or 0) < 0:
            add(at(table, row, "widening_negative", f"widening_pct {widening} is below 0"))
        if not widening and side == "both":
            add(at(table, row, "widening_missing", f"qualifier {qualifier!r} lies on both sides: give its widening_pct"))


CUE_KINDS = ("dimension", "subject", "metric", "base")


def _check_cue_words(table: SeedTable | None, vocabulary: Vocabulary, add: Add) -> None:
    """A cue is a dimension cue naming a dimension of seeds/dimensions.csv, a subject noun naming a series of
    seeds/metrics.csv (or none), a metric or base cue naming a metric ("combined share", "of all cars sold"; a
    base may be "market"); its market, when set, is a market; one meaning per cue, kind and market."""
    check_unique(table, ("cue", "kind", "market"), add)
    series = {row["series"] for row in vocabulary.metrics.values()}
    for row in rows(table):
        if row["kind"] not in CUE_KINDS:
            add(at(table, row, "unknown_cue_kind", f"kind {row['kind']!r} is not one of {', '.join(CUE_KINDS)}"))
        elif row["kind"] == "dimension" and vocabulary.known.dimensions:
            check_known(table, row, "meaning", list(vocabulary.dimensions), "unknown_dimension", "in seeds/dimensions.csv", add)
        elif row["kind"] == "subject" and row["meaning"] and vocabulary.known.metrics and row["meaning"] not in series:
            why = f"meaning {row['meaning']!r} is no series of seeds/metrics.csv: leave it empty when none measures it"
            add(at(table, row, "unknown_series", why))
        elif row["kind"] in ("metric", "base") and vocabulary.known.metrics:  # a base cue may mean "market" itself
            known = [*vocabulary.metrics, *(["market"] if row["kind"] == "base" else [])]
            check_known(table, row, "meaning", known, "unknown_metric", "in seeds/metrics.csv", add)
        if row["market"] and vocabulary.known.markets:
            check_known(table, row, "market", list(vocabulary.markets), "unknown_market", "in seeds/markets.csv", add)
