-- The display decimals of a segment value derived as share x total / 100 (dbt/macros/display.sql). Its
-- sources are in two units (percent, the total's unit), so their decimals are first put in the unit of
-- the segment value: a share printed to d decimals is known to 10^-d percent of the total, i.e. to
-- 10^-d * total / 100 in the total's unit (d + 2 - log10(total) decimals); a total printed to d decimals
-- is known to 10^-d, i.e. to 10^-d * share / 100 of the segment (d + 2 - log10(share)). The coarser of
-- the two, plus derived_extra_decimals once: 14 % of "720 000 tons" is shown as 101,000 tons, not
-- 100,800.0. A derived share (the unallocated remainder) or total (an interpolated year) counts with
-- the printed decimals of its own sources, so the segment value is never more than one digit finer.
with

report_splits as (

    select * from {{ ref('int_segment_splits') }}{{ changed_reports_only() }}

),

splits as (

    select * from report_splits
    where segment_value_basis = 'derived'

),

totals as (

    select * from {{ ref('int_market_totals_interpolated') }}{{ changed_reports_only() }}

),

share_source_decimals as (

    {{ coarsest_source_decimals('splits', 'share_source_figure_ids') }}

),

total_source_decimals as (

    {{ coarsest_source_decimals('totals') }}

),

display as (

    {{ display_thresholds() }}

),

-- each source's printed decimals (the coarsest of the figures it comes from), in its own unit
sources as (

    select
        splits.report_id,
        splits.share_metric,
        splits.total_metric,
        splits.dimension,
        splits.segment_key,
        splits.region_key,
        splits.market_year,
        abs(splits.share_pct) as share_pct,
        abs(splits.total_value) as total_value,
        share_source_decimals.source_decimals as share_decimals,
        total_source_decimals.source_decimals as total_decimals,
        display.derived_extra_decimals

    from splits
    cross join display
    left join share_source_decimals
        on splits.share_source_figure_ids = share_source_decimals.source_figure_ids
    left join totals
        on splits.report_id = totals.report_id
        and splits.total_metric = totals.metric
        and splits.region_key = totals.region_key
        and splits.total_unit = totals.unit_key
        and splits.market_year = totals.market_year
    left join total_source_decimals
        on totals.source_figure_ids = total_source_decimals.source_figure_ids

),

in_value_unit as (

    select
        *,
        share_decimals + 2 - log10(nullif(total_value, 0)) as share_in_value_decimals,
        total_decimals + 2 - log10(nullif(share_pct, 0)) as total_in_value_decimals
    from sources

),

final as (

    select
        report_id,
        share_metric,
        total_metric,
        dimension,
        segment_key,
        region_key,
        market_year,
        cast(round(least(
            coalesce(share_in_value_decimals, total_in_value_decimals),
            coalesce(total_in_value_decimals, share_in_value_decimals)
        )) as integer) + derived_extra_decimals as value_decimals

    from in_value_unit

)

select * from final
