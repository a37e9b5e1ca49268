-- Which span of a report's own values each growth rate is checked over: one row per rate to check.
--
-- A stated rate is matched to the reported values of its series (int_cagr_values): over the stated
-- period itself when the report gives values at both of its ends, else over the nearest reported span
-- (the value nearest each end, on the right side of the other end). A lithium report stating 18.9 % for
-- 2024-2032 with values for 2023, 2024 and 2032 is checked over 2024 -> 2032, not 2023 -> 2032. A stated
-- rate without two such values keeps a row with no span; a series the report states no rate for gets
-- the span of its first and last values. int_cagr_compared computes and judges the rates.
{% set place = growth_place_columns() %}
{% set value_series = growth_value_columns() %}

with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

series_values as (

    select * from {{ ref('int_cagr_values') }}

),

stated as (

    select
        {{ column_list(place) }},
        metric as stated_metric,
        value as stated_cagr_pct,
        value_low as stated_cagr_low_pct,
        value_high as stated_cagr_high_pct,
        qualifier as stated_qualifier,
        period_start_year as stated_period_start_year,
        period_end_year as stated_period_end_year,
        source_figure_ids as stated_figure_ids

    from figures
    where metric_kind = 'rate'

),

candidates as (

    select
        stated.*,
        series_values.metric as value_metric,
        series_values.unit_key as value_unit,
        series_values.figure_year,
        series_values.value,
        series_values.basis,
        series_values.source_figure_ids,
        series_values.value_low,
        series_values.value_high

    from stated
    inner join series_values
        on {{ join_on('stated', 'series_values', place) }}

),

-- the value nearest the stated start (before the stated end), and nearest the stated end (after the
-- stated start); of two equally near, the one inside the period
start_values as (

    select
        candidates.*,
        row_number() over (
            partition by candidates.stated_figure_ids, candidates.value_metric, candidates.value_unit
            order by abs(candidates.figure_year - candidates.stated_period_start_year), candidates.figure_year desc
        ) as nearness
    from candidates
    where candidates.figure_year < candidates.stated_period_end_year

),

end_values as (

    select
        candidates.*,
        row_number() over (
            partition by candidates.stated_figure_ids, candidates.value_metric, candidates.value_unit
            order by abs(candidates.figure_year - candidates.stated_period_end_year), candidates.figure_year
        ) as nearness
    from candidates
    where candidates.figure_year > candidates.stated_period_start_year

),

stated_matched as (

    select
        {{ column_list(place, 'start_values') }},
        start_values.stated_metric,
        start_values.value_metric,
        start_values.stated_cagr_pct,
        start_values.stated_qualifier,
        start_values.stated_period_start_year,
        start_values.stated_period_end_year,
        start_values.figure_year as value_start_year,
        end_values.figure_year as value_end_year,
        start_values.value as value_start,
        end_values.value as value_end,
        start_values.value_unit,
        case
            when start_values.basis = 'derived' or end_values.basis = 'derived' then 'derived' else 'reported'
        end as implied_basis,
        start_values.stated_figure_ids,
        {{ dbt.concat(["start_values.source_figure_ids", "','", "end_values.source_figure_ids"]) }} as value_figure_ids,
        start_values.stated_cagr_low_pct,
        start_values.stated_cagr_high_pct,
        start_values.value_low as value_start_low,
        start_values.value_high as value_start_high,
        end_values.value_low as value_end_low,
        end_values.value_high as value_end_high

    from start_values
    inner join end_values
        on start_values.stated_figure_ids = end_values.stated_figure_ids
        and start_values.value_metric = end_values.value_metric
        and start_values.value_unit = end_values.value_unit
    where start_values.nearness = 1
        and end_values.nearness = 1
        and start_values.figure_year < end_values.figure_year

),

stated_unmatched as (

    select
        {{ column_list(place, 'stated') }},
        stated.stated_metric,
        {{ as_text('null') }} as value_metric,
        stated.stated_cagr_pct,
        stated.stated_qualifier,
        stated.stated_period_start_year,
        stated.stated_period_end_year,
        cast(null as integer) as value_start_year,
        cast(null as integer) as value_end_year,
        cast(null as {{ type_double() }}) as value_start,
        cast(null as {{ type_double() }}) as value_end,
        {{ as_text('null') }} as value_unit,
        {{ as_text('null') }} as implied_basis,
        stated.stated_figure_ids,
        {{ as_text('null') }} as value_figure_ids,
        stated.stated_cagr_low_pct,
        stated.stated_cagr_high_pct,
        cast(null as {{ type_double() }}) as value_start_low,
        cast(null as {{ type_double() }}) as value_start_high,
        cast(null as {{ type_double() }}) as value_end_low,
        cast(null as {{ type_double() }}) as value_end_high

    from stated
    where stated.stated_figure_ids not in (select stated_matched.stated_figure_ids from stated_matched)

),

value_spans as (

    select
        {{ column_list(value_series) }},
        min(figure_year) as value_start_year,
        max(figure_year) as value_end_year,
        count(*) as reported_value_count,
        case when sum(case when basis = 'derived' then 1 else 0 end) = 0 then 'reported' else 'derived' end as implied_basis

    from series_values
    group by
        {{ column_list(value_series) }}

),

-- a series the report states no rate for: the span of its first and last values
unstated as (

    select
        {{ column_list(place, 'value_spans') }},
        {{ as_text('null') }} as stated_metric,
        value_spans.metric as value_metric,
        cast(null as {{ type_double() }}) as stated_cagr_pct,
        {{ as_text('null') }} as stated_qualifier,
        cast(null as integer) as stated_period_start_year,
        cast(null as integer) as stated_period_end_year,
        value_spans.value_start_year,
        value_spans.value_end_year,
        start_values.value as value_start,
        end_values.value as value_end,
        value_spans.unit_key as value_unit,
        value_spans.implied_basis,
        {{ as_text('null') }} as stated_figure_ids,
        {{ dbt.concat(["start_values.source_figure_ids", "','", "end_values.source_figure_ids"]) }} as value_figure_ids,
        cast(null as {{ type_double() }}) as stated_cagr_low_pct,
        cast(null as {{ type_double() }}) as stated_cagr_high_pct,
        start_values.value_low as value_start_low,
        start_values.value_high as value_start_high,
        end_values.value_low as value_end_low,
        end_values.value_high as value_end_high

    from value_spans
    inner join series_values as start_values
        on {{ join_on('value_spans', 'start_values', value_series) }}
        and value_spans.value_start_year = start_values.figure_year
    inner join series_values as end_values
        on {{ join_on('value_spans', 'end_values', value_series) }}
        and value_spans.value_end_year = end_values.figure_year
    where value_spans.reported_value_count >= 2
        and not exists (
            select 1 from stated
            where {{ join_on('stated', 'value_spans', place) }}
        )

),

final as (

    select * from stated_matched
    union all
    select * from stated_unmatched
    union all
    select * from unstated

)

select * from final
