with

totals as (

    select * from {{ ref('int_market_totals_interpolated') }}
    {{ changed_reports_only() }}

),

growth as (

    select * from {{ ref('int_market_totals_growth') }}
    {{ changed_reports_only() }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

units as (

    select * from {{ ref('stg_reports__units') }}

),

quantities as (

    select * from {{ ref('stg_reports__quantities') }}

),

markets as (

    select * from {{ ref('stg_reports__markets') }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

region_names as (

    select * from {{ ref('int_region_names') }}

),

-- the display precision of each value (dbt/macros/display.sql): the decimals of its coarsest source
source_decimals as (

    {{ coarsest_source_decimals('totals') }}

),

display as (

    {{ display_thresholds() }}

),

final as (

    select
        totals.report_id,
        reports.report_title,
        reports.market as market_key,
        markets.market_name,
        reports.publisher,
        reports.publisher_label,
        totals.metric,
        totals.region_key,
        totals.market_year,
        {{ year_start('totals.market_year') }} as market_date,
        -- long by quantity: one value column whatever the unit measures (money, mass, energy, ...); a
        -- chart filters on one quantity and unit, so it never adds tons to dollars or GWh to tons
        units.quantity,
        quantities.quantity_name,
        totals.value,
        totals.unit_key,
        units.unit_name,
        units.currency,
        totals.basis,
        totals.is_forecast,
        growth.yoy_growth_pct,
        totals.derivation,
        totals.source_figure_ids,
        totals.qualifier,
        totals.value_low,
        totals.value_high,
        metrics.metric_name,
        region_names.region_name,
        case when totals.derivation is null then 'reported' else 'derived' end as value_kind,
        {{ display_decimals('totals.value', 'totals.basis', 'source_decimals.source_decimals') }} as value_decimals,
        totals.derivation_text

    from totals
    inner join reports
        on totals.report_id = reports.report_id
    inner join units
        on totals.unit_key = units.unit_key
    inner join quantities
        on units.quantity = quantities.quantity
    left join markets
        on reports.market = markets.market
    left join growth
        on totals.report_id = growth.report_id
        and totals.metric = growth.metric
        and totals.region_key = growth.region_key
        and totals.market_year = growth.market_year
    left join metrics
        on totals.metric = metrics.metric
    left join region_names
        on totals.region_key = region_names.region_key
    left join source_decimals
        on totals.source_figure_ids = source_decimals.source_figure_ids
    cross join display

)

select * from final
