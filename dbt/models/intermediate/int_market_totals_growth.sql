-- Derived, never summed: growth of a derived year is as derived as its value.
with

series as (

    select * from {{ ref('int_market_totals_interpolated') }}

),

with_previous as (

    select
        report_id,
        metric,
        region_key,
        unit_key,
        market_year,
        value,
        basis,
        is_forecast,
        source_figure_ids,
        metric_name,
        lag(market_year) over (
            partition by report_id, metric, region_key, unit_key
            order by market_year
        ) as previous_year,
        lag(value) over (
            partition by report_id, metric, region_key, unit_key
            order by market_year
        ) as previous_value

    from series

),

final as (

    select
        report_id,
        metric,
        region_key,
        market_year,
        (value / nullif(previous_value, 0) - 1) * 100 as yoy_growth_pct,
        'percent' as unit_key,
        'derived' as basis,
        is_forecast,
        {{ dbt.concat([
            "'year-on-year growth of the ' ",
            "metric",
            "' series: value(' ",
            as_text("market_year"),
            "') / value('",
            as_text("previous_year"),
            "') - 1'",
        ]) }} as derivation,
        source_figure_ids,
        -- the same in words for people: the metric as the seeds name it
        {{ dbt.concat([
            "'year-on-year growth of the ' ",
            "lower(metric_name)",
            "': value in ' ",
            as_text("market_year"),
            "' / value in '",
            as_text("previous_year"),
            "' - 1'",
        ]) }} as derivation_text

    from with_previous
    where previous_year = market_year - 1

)

select * from final {{ changed_reports_only() }}
