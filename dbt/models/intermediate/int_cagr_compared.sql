-- A stated growth rate beside the rate the report's own values imply, and the verdict: whether they
-- agree within the tolerance. This is the one place the CAGR tolerance is judged; cagr_check, the site,
-- Superset and the audits read the verdict from here.
--
-- Both rates are intervals: a printed number stands for its printed precision widened by its qualifier
-- (int_figures_normalized), so the stated "27 %" is 26.5..27.5 and "10 GWh" (2025) to "just under 70
-- GWh" (2033) implies 26.4..28.5 %: they agree. The implied interval runs from the highest start to the
-- lowest end (lowest rate) to the lowest start to the highest end (highest rate); an open bound ("more
-- than") leaves that side open. A finding only where the intervals lie more than the tolerance apart.
--
-- The span each rate is checked over comes from int_cagr_spans (span_note says which it is), the
-- largest fall of the values against stated growth from int_cagr_falls. An implied rate resting on
-- segment values derived from reported shares x reported totals (QY: silicon 1.2 % of 3.2 bn in 2020 ->
-- 10.1 % of 14.1 bn in 2027 implies about 67.6 % a year against a stated 76.6 %) is judged with the
-- advisory segment_growth_tolerance, every other with cagr_tolerance (seeds/audit_thresholds.csv).

with

spans as (

    select * from {{ ref('int_cagr_spans') }}

),

falls as (

    select * from {{ ref('int_cagr_falls') }}

),

thresholds as (

    select * from {{ ref('stg_reports__audit_thresholds') }}

),

cagr_tolerance as (

    select threshold from thresholds
    where rule = 'cagr_tolerance'

),

segment_growth_tolerance as (

    select threshold from thresholds
    where rule = 'segment_growth_tolerance'

),

implied as (

    select
        spans.*,
        spans.stated_period_end_year - spans.stated_period_start_year as stated_compounding_years,
        spans.value_end_year - spans.value_start_year as value_compounding_years,
        {{ cagr_pct('spans.value_start', 'spans.value_end', 'spans.value_end_year - spans.value_start_year') }}
            as implied_cagr_pct,
        {{ cagr_pct(
            'spans.value_start', 'spans.value_end', 'spans.stated_period_end_year - spans.stated_period_start_year'
        ) }} as implied_cagr_over_stated_period_pct,
        {{ cagr_pct('spans.value_start_high', 'spans.value_end_low', 'spans.value_end_year - spans.value_start_year') }}
            as implied_cagr_low_pct,
        {{ cagr_pct('spans.value_start_low', 'spans.value_end_high', 'spans.value_end_year - spans.value_start_year') }}
            as implied_cagr_high_pct,
        falls.fall_start_year,
        falls.fall_end_year,
        falls.fall_pct,
        falls.fall_figure_ids

    from spans
    left join falls
        on spans.stated_figure_ids = falls.stated_figure_ids
        and spans.value_metric = falls.value_metric
        and spans.value_unit = falls.value_unit

),

compared as (

    select
        implied.*,
        implied.stated_cagr_pct - implied.implied_cagr_pct as difference_pp,
        -- how far the intervals lie apart (0 when they overlap); an open bound is never apart on its side
        greatest(
            coalesce(implied.stated_cagr_low_pct - implied.implied_cagr_high_pct, 0),
            coalesce(implied.implied_cagr_low_pct - implied.stated_cagr_high_pct, 0),
            0
        ) as interval_gap_pp,
        case when implied.implied_basis = 'derived' then segment_tolerance.threshold else tolerance.threshold end as tolerance_pp

    from implied
    cross join cagr_tolerance as tolerance
    cross join segment_growth_tolerance as segment_tolerance

),

final as (

    select
        compared.report_id,
        compared.metric_series,
        compared.stated_metric,
        compared.value_metric,
        compared.dimension,
        compared.segment_key,
        compared.region_key,
        compared.stated_cagr_pct,
        compared.stated_qualifier,
        compared.stated_period_start_year,
        compared.stated_period_end_year,
        compared.stated_compounding_years,
        compared.value_start_year,
        compared.value_end_year,
        compared.value_compounding_years,
        compared.value_start,
        compared.value_end,
        compared.value_unit,
        compared.implied_basis,
        compared.stated_figure_ids,
        compared.value_figure_ids,
        compared.implied_cagr_pct,
        compared.implied_cagr_over_stated_period_pct,
        compared.difference_pp,
        compared.tolerance_pp,
        -- the verdict; null when either rate is missing
        case
            when compared.difference_pp is not null then compared.interval_gap_pp <= compared.tolerance_pp
        end as agrees_within_tolerance,
        compared.fall_start_year,
        compared.fall_end_year,
        compared.fall_pct,
        compared.fall_figure_ids,
        compared.stated_cagr_low_pct,
        compared.stated_cagr_high_pct,
        compared.implied_cagr_low_pct,
        compared.implied_cagr_high_pct,
        compared.interval_gap_pp,
        case
            when compared.stated_cagr_pct is null and compared.implied_basis = 'derived'
                then 'no rate stated: implied rate only, from reported shares x reported totals'
            when compared.stated_cagr_pct is null
                then 'no rate stated: implied rate of the first and last reported values only'
            when compared.implied_cagr_pct is null
                then 'no two reported values of the series reach into the stated period: stated rate only'
            when compared.value_start_year = compared.stated_period_start_year
                and compared.value_end_year = compared.stated_period_end_year
                and compared.implied_basis = 'derived'
                then 'over the stated period; the values are reported shares x reported totals'
            when compared.value_start_year = compared.stated_period_start_year
                and compared.value_end_year = compared.stated_period_end_year
                then 'over the stated period: the report gives values at both of its ends'
            else {{ dbt.concat([
                "'the report gives no value at '",
                "case when compared.value_start_year <> compared.stated_period_start_year then "
                    ~ as_text("compared.stated_period_start_year") ~ " else '' end",
                "case when compared.value_start_year <> compared.stated_period_start_year "
                    ~ "and compared.value_end_year <> compared.stated_period_end_year then ' and ' else '' end",
                "case when compared.value_end_year <> compared.stated_period_end_year then "
                    ~ as_text("compared.stated_period_end_year") ~ " else '' end",
                "' of the stated period '",
                as_text("compared.stated_period_start_year"),
                "'-'",
                as_text("compared.stated_period_end_year"),
                "': the implied rate uses the nearest reported span '",
                as_text("compared.value_start_year"),
                "'->'",
                as_text("compared.value_end_year"),
                "' ('",
                as_text("compared.value_compounding_years"),
                "' compounding years)'",
            ]) }}
        end as span_note

    from compared

)

select * from final
