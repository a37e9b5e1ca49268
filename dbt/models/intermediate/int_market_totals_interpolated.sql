-- Reported years keep the reported value; years in between are derived by geometric interpolation
-- (constant growth) between the neighbouring reported values, and say so in `derivation`.
with

totals as (

    select * from {{ ref('int_figures_deduplicated') }}
    where dimension = 'total'
        and is_market_size
        and figure_year is not null

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

-- units and metrics as people name them, for the derivation's words (derivation_text)
units as (

    select * from {{ ref('stg_reports__units') }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

offsets as (

    {{ integer_series(2) }}

),

spans as (

    select
        report_id,
        metric,
        region_key,
        unit_key,
        currency,
        figure_year as start_year,
        value as start_value,
        value_low as start_low,
        value_high as start_high,
        source_figure_ids as start_figure_ids,
        lead(figure_year) over (
            partition by report_id, metric, region_key, unit_key
            order by figure_year
        ) as end_year,
        lead(value) over (
            partition by report_id, metric, region_key, unit_key
            order by figure_year
        ) as end_value,
        lead(source_figure_ids) over (
            partition by report_id, metric, region_key, unit_key
            order by figure_year
        ) as end_figure_ids,
        lead(value_low) over (
            partition by report_id, metric, region_key, unit_key
            order by figure_year
        ) as end_low,
        lead(value_high) over (
            partition by report_id, metric, region_key, unit_key
            order by figure_year
        ) as end_high

    from totals

),

reported_years as (

    select
        report_id,
        metric,
        region_key,
        unit_key,
        currency,
        figure_year as market_year,
        value,
        'reported' as basis,
        {{ as_text('null') }} as derivation,
        source_figure_ids,
        qualifier,
        value_low,
        value_high,
        {{ as_text('null') }} as derivation_text

    from totals

),

interpolated_years as (

    select
        spans.report_id,
        spans.metric,
        spans.region_key,
        spans.unit_key,
        spans.currency,
        spans.start_year + offsets.n as market_year,
        {{ geometric_interpolation(
            'spans.start_value', 'spans.end_value', 'offsets.n', 'spans.end_year - spans.start_year'
        ) }} as value,
        'derived' as basis,
        {{ dbt.concat([
            "'geometric interpolation between the reported '",
            as_text("spans.start_year"),
            "' value ('",
            number_text("spans.start_value"),
            "') and the reported '",
            as_text("spans.end_year"),
            "' value ('",
            number_text("spans.end_value"),
            "' '",
            "spans.unit_key",
            "'): v0 * (v1 / v0) ^ ((year - '",
            as_text("spans.start_year"),
            "') / '",
            as_text("spans.end_year - spans.start_year"),
            "')'",
        ]) }} as derivation,
        {{ dbt.concat(["spans.start_figure_ids", "','", "spans.end_figure_ids"]) }} as source_figure_ids,
        '' as qualifier,
        -- the interval of a derived year: the same interpolation between the ends' bounds
        {{ geometric_interpolation(
            'spans.start_low', 'spans.end_low', 'offsets.n', 'spans.end_year - spans.start_year'
        ) }} as value_low,
        {{ geometric_interpolation(
            'spans.start_high', 'spans.end_high', 'offsets.n', 'spans.end_year - spans.start_year'
        ) }} as value_high,
        -- the same method in words for people: the units as the seeds name them
        {{ dbt.concat([
            "'geometric interpolation (the same growth every year) between the reported '",
            as_text("spans.start_year"),
            "' value ('",
            grouped_number_text("spans.start_value"),
            "' '",
            "coalesce(units.unit_name, spans.unit_key)",
            "') and the reported '",
            as_text("spans.end_year"),
            "' value ('",
            grouped_number_text("spans.end_value"),
            "' '",
            "coalesce(units.unit_name, spans.unit_key)",
            "'): value in year = value in '",
            as_text("spans.start_year"),
            "' × (value in '",
            as_text("spans.end_year"),
            "' / value in '",
            as_text("spans.start_year"),
            "') ^ ((year - '",
            as_text("spans.start_year"),
            "') / '",
            as_text("spans.end_year - spans.start_year"),
            "')'",
        ]) }} as derivation_text

    from spans
    left join units
        on spans.unit_key = units.unit_key
    inner join offsets
        on offsets.n > 0
        and offsets.n < spans.end_year - spans.start_year
    where spans.end_year is not null
        and spans.start_value > 0
        and spans.end_value > 0

),

unioned as (

    select * from reported_years
    union all
    select * from interpolated_years

),

final as (

    select
        unioned.*,
        {{ is_forecast("unioned.market_year") }} as is_forecast,
        coalesce(units.unit_name, unioned.unit_key) as unit_name,
        coalesce(metrics.metric_name, unioned.metric) as metric_name

    from unioned
    inner join reports
        on unioned.report_id = reports.report_id
    left join units
        on unioned.unit_key = units.unit_key
    left join metrics
        on unioned.metric = metrics.metric

)

select * from final {{ changed_reports_only() }}
