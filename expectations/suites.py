"""The audit suites: what each checks, on which rows, how severe a failure is.

GX owns the cross-row audits and advisories: split sums, growth bounds, stated vs implied growth and
rankings (a share within 0-100, positive values and known units are input rules of the validator;
one figure per key is a dbt test). Each check is a plain select over the candidate's marts and audits views
(dbt/models/audits, so it runs on every engine) that yields
the rows a rule applies to, and GX expectations over those rows. `severity` "error" blocks publishing; "warn" is advisory.
Thresholds are named by their rule in seeds/audit_thresholds.csv and filled in at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Check:
    name: str
    rule: str  # one sentence: what must hold
    severity: str  # "error" (blocking) or "warn" (advisory)
    sql: str  # rows the rule applies to
    id_columns: tuple[str, ...]  # shown for each failing row
    expectations: Callable[[dict[str, float]], list[Any]]  # thresholds -> GX expectations
    # a failing row is a finding of its report: the columns naming what it is about (its stable key),
    # and the number the report states beside the number it is compared with
    subject: tuple[str, ...] = ("figure_id",)
    stated: str = ""
    compared: str = ""


@dataclass(frozen=True)
class Suite:
    name: str
    description: str
    checks: tuple[Check, ...] = field(default_factory=tuple)


def _gxe():
    import great_expectations.expectations as gxe  # imported only when a suite runs (about 3 s)

    return gxe


# The rows of the split and ranking checks are dbt models (dbt/models/audits/), so every check below is a
# plain select that runs unchanged on each engine the warehouse builds on.
_SPLIT_SUMS = "audits.audit_split_sums"

SHARES = Suite(
    name="shares",
    description="A complete split sums to 100 within tolerance; a partial split never exceeds 100.",
    checks=(
        Check(
            name="complete_split_sums_to_100",
            rule="where every segment a report lists has a reported share, the shares sum to 100 within share_sum_tolerance",
            severity="error",
            sql=f"select * from {_SPLIT_SUMS} where reported_count = segment_count and derived_count = 0",
            id_columns=("report_id", "dimension", "region_key", "market_year", "reported_shares", "share_sum"),
            expectations=lambda t: [
                _gxe().ExpectColumnValuesToBeBetween(
                    column="share_sum", min_value=100 - t["share_sum_tolerance"], max_value=100 + t["share_sum_tolerance"]
                )
            ],
            subject=("dimension", "region_key", "market_year"),
            stated="share_sum",
        ),
        Check(
            name="partial_split_at_most_100",
            rule="a partial split (some listed segments without a share) sums to no more than 100 + share_sum_tolerance",
            severity="error",
            sql=f"select * from {_SPLIT_SUMS} where not (reported_count = segment_count and derived_count = 0)",
            id_columns=("report_id", "dimension", "region_key", "market_year", "reported_shares", "share_sum"),
            expectations=lambda t: [_gxe().ExpectColumnValuesToBeBetween(column="share_sum", max_value=100 + t["share_sum_tolerance"])],
            subject=("dimension", "region_key", "market_year"),
            stated="share_sum",
        ),
    ),
)


def _stated_vs_implied_cagr(name: str, rule: str, severity: str, implied_basis: str, tolerance_rule: str) -> Check:
    """Stated CAGR against the CAGR implied by values of one basis (reported values, or segment values
    derived from reported shares x reported totals), within the named tolerance."""
    return Check(
        name=name,
        rule=rule,
        severity=severity,
        sql=f"""select report_id, stated_figure_ids as figure_id, dimension, segment_key, stated_cagr_pct,
                       implied_cagr_pct, value_start, value_end, value_start_year, value_end_year, value_unit, difference_pp
                from marts.cagr_check
                where stated_cagr_pct is not null and implied_cagr_pct is not null and implied_basis = '{implied_basis}'""",
        id_columns=(
            "report_id",
            "figure_id",
            "segment_key",
            "stated_cagr_pct",
            "implied_cagr_pct",
            "value_start",
            "value_end",
            "value_start_year",
            "value_end_year",
            "value_unit",
        ),
        expectations=lambda t: [
            _gxe().ExpectColumnValuesToBeBetween(column="difference_pp", min_value=-t[tolerance_rule], max_value=t[tolerance_rule])
        ],
        stated="stated_cagr_pct",
        compared="implied_cagr_pct",
    )


GROWTH = Suite(
    name="growth",
    description=(
        "Year-on-year growth and CAGR within bounds; stated CAGR agrees with the CAGR implied by the reported values; ranking claims hold."
    ),
    checks=(
        Check(
            name="yoy_growth_within_bounds",
            rule="year-on-year growth (stated or derived) lies between yoy_growth_min and yoy_growth_max percent",
            severity="error",
            sql="""select report_id, market_figure_id as figure_id, figure_year, value, source_figure_ids
                   from marts.market_figures where metric_kind = 'growth' and value is not null""",
            id_columns=("report_id", "figure_id", "source_figure_ids", "value"),
            stated="value",
            expectations=lambda t: [
                _gxe().ExpectColumnValuesToBeBetween(column="value", min_value=t["yoy_growth_min"], max_value=t["yoy_growth_max"])
            ],
        ),
        Check(
            name="cagr_within_bounds",
            rule="every stated and implied CAGR lies between cagr_min and cagr_max percent",
            severity="error",
            sql="""select report_id, market_figure_id as figure_id, metric, value, source_figure_ids
                   from marts.market_figures where metric_kind = 'rate' and value is not null""",
            id_columns=("report_id", "figure_id", "metric", "source_figure_ids", "value"),
            stated="value",
            expectations=lambda t: [_gxe().ExpectColumnValuesToBeBetween(column="value", min_value=t["cagr_min"], max_value=t["cagr_max"])],
        ),
        _stated_vs_implied_cagr(
            name="stated_cagr_matches_implied",
            rule=(
                "a stated growth rate agrees with the rate implied by the report's own values of the same series, over the stated "
                "period when both its ends are reported (else the nearest reported span), within cagr_tolerance points"
            ),
            severity="error",
            implied_basis="reported",
            tolerance_rule="cagr_tolerance",
        ),
        _stated_vs_implied_cagr(
            name="segment_growth_matches_shares",
            rule=(
                "advisory: a segment's stated growth agrees with the growth implied by its reported shares and the reported "
                "totals within segment_growth_tolerance points (a disagreement is the report's, flagged, not fixed)"
            ),
            severity="warn",
            implied_basis="derived",
            tolerance_rule="segment_growth_tolerance",
        ),
        Check(
            name="stated_growth_not_contradicted_by_values",
            rule=(
                "where a report states positive growth, its own consecutive reported values of that series do not fall at or "
                "inside the stated period (a fall is the report contradicting itself: both numbers are shown)"
            ),
            severity="error",
            sql="""select report_id, stated_figure_ids as figure_id, metric_series, dimension, segment_key, stated_cagr_pct,
                       stated_period_start_year, stated_period_end_year, fall_start_year, fall_end_year, fall_pct,
                       fall_figure_ids, value_unit
                from marts.cagr_check
                where stated_cagr_pct > 0""",
            id_columns=(
                "report_id",
                "figure_id",
                "segment_key",
                "stated_cagr_pct",
                "stated_period_start_year",
                "stated_period_end_year",
                "fall_start_year",
                "fall_end_year",
                "fall_pct",
                "fall_figure_ids",
            ),
            expectations=lambda t: [_gxe().ExpectColumnValuesToBeNull(column="fall_pct")],
            stated="stated_cagr_pct",
            compared="fall_pct",
        ),
        Check(
            name="ranking_claims_hold",
            rule="a ranking claim (e.g. 'Asia-Pacific dominates') matches the order of the shares wherever shares for that dimension exist",
            severity="error",
            sql="""select claim_id as figure_id, report_id, dimension, segment_key, market_year, claimed_rank, share_rank,
                          claim_holds
                   from audits.audit_ranking_claims""",
            id_columns=("report_id", "figure_id", "segment_key", "market_year", "claimed_rank", "share_rank"),
            expectations=lambda t: [_gxe().ExpectColumnValuesToBeInSet(column="claim_holds", value_set=[True])],
            subject=("figure_id", "market_year"),
            stated="claimed_rank",
            compared="share_rank",
        ),
    ),
)

SUITES: tuple[Suite, ...] = (SHARES, GROWTH)
