-- The level values a growth rate is implied from, by series (seeds/metrics.csv): every level a report
-- states for a year, and a segment's value derived only from reported numbers (a reported share x a
-- reported total: QY's silicon 1.2 % of 3.2 bn in 2020). A segment value resting on an interpolated
-- total or an unallocated remainder is left out: it would imply a rate the report never gave numbers for.

with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

splits as (

    select * from {{ ref('int_segment_splits') }}

),

reported_levels as (

    select
        {{ column_list(growth_value_columns()) }},
        figure_year,
        value,
        source_figure_ids,
        'reported' as basis,
        value_low,
        value_high
    from figures
    where metric_kind = 'level'
        and figure_year is not null

),

derived_segment_values as (

    select
        splits.report_id,
        metrics.metric_series,
        splits.dimension,
        splits.segment_key,
        splits.region_key,
        splits.total_metric as metric,
        splits.total_unit as unit_key,
        splits.market_year as figure_year,
        splits.segment_value as value,
        splits.source_figure_ids,
        'derived' as basis,
        splits.share_low_pct * splits.total_value_low / 100 as value_low,
        splits.share_high_pct * splits.total_value_high / 100 as value_high
    from splits
    inner join metrics
        on splits.total_metric = metrics.metric
    where splits.segment_value_basis = 'derived'
        and splits.share_basis = 'reported'
        and splits.total_basis = 'reported'

),

final as (

    select * from reported_levels
    union all
    select * from derived_segment_values

)

select * from final
