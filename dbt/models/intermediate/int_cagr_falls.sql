-- Where a report states positive growth but its own consecutive reported values fall, between two
-- years at or inside the stated period: the largest such fall, shown beside the rate in
-- int_cagr_compared (the contradiction a reader should see, with both numbers). Derived segment values
-- are left out: a fall must be the report's own.
{% set place = growth_place_columns() %}
{% set value_series = growth_value_columns() %}

with

spans as (

    select * from {{ ref('int_cagr_spans') }}

),

series_values as (

    select * from {{ ref('int_cagr_values') }}

),

-- consecutive reported values of a series, and how much the later one falls below the earlier
reported_steps as (

    select
        {{ column_list(value_series) }},
        figure_year,
        value,
        source_figure_ids,
        lag(figure_year) over (partition by {{ column_list(value_series) }} order by figure_year) as previous_year,
        lag(value) over (partition by {{ column_list(value_series) }} order by figure_year) as previous_value,
        lag(source_figure_ids) over (partition by {{ column_list(value_series) }} order by figure_year) as previous_figure_ids

    from series_values
    where basis = 'reported'

),

falls_against_stated_growth as (

    select
        spans.stated_figure_ids,
        spans.value_metric,
        spans.value_unit,
        reported_steps.previous_year as fall_start_year,
        reported_steps.figure_year as fall_end_year,
        (reported_steps.value / reported_steps.previous_value - 1) * 100 as fall_pct,
        {{ dbt.concat(["reported_steps.previous_figure_ids", "','", "reported_steps.source_figure_ids"]) }} as fall_figure_ids,
        row_number() over (
            partition by spans.stated_figure_ids, spans.value_metric, spans.value_unit
            order by reported_steps.value / reported_steps.previous_value, reported_steps.figure_year
        ) as steepness

    from spans
    inner join reported_steps
        on {{ join_on('spans', 'reported_steps', place) }}
        and spans.value_metric = reported_steps.metric
        and spans.value_unit = reported_steps.unit_key
    where spans.stated_cagr_pct > 0
        and reported_steps.value < reported_steps.previous_value
        and reported_steps.figure_year >= spans.stated_period_start_year
        and reported_steps.previous_year <= spans.stated_period_end_year

),

final as (

    select
        stated_figure_ids,
        value_metric,
        value_unit,
        fall_start_year,
        fall_end_year,
        fall_pct,
        fall_figure_ids
    from falls_against_stated_growth
    where steepness = 1

)

select * from final
