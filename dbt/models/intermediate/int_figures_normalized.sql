with

figures as (

    select * from {{ ref('stg_reports__figures') }}

),

units as (

    select * from {{ ref('stg_reports__units') }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

qualifiers as (

    select * from {{ ref('stg_reports__qualifiers') }}

),

final as (

    select
        figures.figure_id,
        figures.report_id,
        figures.metric,
        metrics.metric_kind,
        metrics.metric_series,
        metrics.is_market_size,
        figures.dimension,
        figures.segment_as_published,
        names.segment_key,
        figures.region_key,
        figures.figure_year,
        figures.period_start_year,
        figures.period_end_year,
        figures.value as value_as_stated,
        figures.unit_key as unit_as_stated,
        figures.range_high as range_high_as_stated,
        figures.value * units.multiplier_to_base / mart_units.multiplier_to_base as value,
        figures.range_high * units.multiplier_to_base / mart_units.multiplier_to_base as range_high,
        {{ figure_interval(
            'low', 'figures.value', 'figures.range_high', 'figures.value_as_published',
            'qualifiers.qualifier_side', 'qualifiers.widening_pct',
        ) }} * units.multiplier_to_base / mart_units.multiplier_to_base as value_low,
        {{ figure_interval(
            'high', 'figures.value', 'figures.range_high', 'figures.value_as_published',
            'qualifiers.qualifier_side', 'qualifiers.widening_pct',
        ) }} * units.multiplier_to_base / mart_units.multiplier_to_base as value_high,
        units.mart_unit as unit_key,
        units.quantity,
        units.currency,
        figures.qualifier,
        figures.value_as_published,
        figures.basis,
        figures.section,
        figures.quote,
        figures.period_source,
        figures.cited_publisher,
        figures.cited_date,
        {{ is_forecast("coalesce(figures.figure_year, figures.period_end_year)") }} as is_forecast

    from figures
    inner join units
        on figures.unit_key = units.unit_key
    inner join units as mart_units
        on units.mart_unit = mart_units.unit_key
    inner join reports
        on figures.report_id = reports.report_id
    left join metrics
        on figures.metric = metrics.metric
    left join qualifiers
        on figures.qualifier = qualifiers.qualifier
    left join names
        on figures.dimension = names.dimension
        and figures.segment_name_normalized = names.name_normalized
        and (names.segment_market is null or reports.market = names.segment_market)

)

select * from final {{ changed_reports_only() }}
