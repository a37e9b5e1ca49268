-- Every split of every market, long: one row per report, split dimension, segment and year, for every
-- dimension seeds/dimensions.csv marks as a split (type, region, application, end use, company, or one
-- a data engineer adds as data). int_segment_splits gives each dimension its reported and derived rows,
-- a not_reported row for a listed segment without a number, and the unallocated remainder. The four
-- market_by_<dimension>_year marts are filters of this one.
with

splits as (

    select * from {{ ref('int_segment_splits') }}
    {{ changed_reports_only() }}

),

dimensions as (

    select * from {{ ref('stg_reports__dimensions') }}

),

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

markets as (

    select * from {{ ref('stg_reports__markets') }}

),

units as (

    select * from {{ ref('stg_reports__units') }}

),

claims as (

    select * from {{ ref('int_claims_resolved') }}

),

region_names as (

    select * from {{ ref('int_region_names') }}

),

-- the display precision of shares and segment values (dbt/macros/display.sql): the decimals of the
-- coarsest figure each comes from
share_source_decimals as (

    {{ coarsest_source_decimals('splits', 'share_source_figure_ids') }}

),

value_source_decimals as (

    {{ coarsest_source_decimals('splits') }}

),

-- a segment value derived as share x total: its sources' precision in its own unit
derived_value_decimals as (

    select * from {{ ref('int_segment_value_decimals') }}

),

display as (

    {{ display_thresholds() }}

),

-- the countries a report names under one of its regions, for the region rows
named_countries as (

    select
        claims.report_id,
        countries.parent_dimension as dimension,
        claims.parent_segment_key as segment_key,
        {{ dbt.listagg(
            "countries.segment_name", "', '", "order by countries.sort_order, countries.segment_name"
        ) }} as named_countries

    from claims
    inner join segments as countries
        on claims.dimension = countries.dimension
        and claims.segment_key = countries.segment_key
    where claims.claim_type = 'country_listed'
    group by claims.report_id, countries.parent_dimension, claims.parent_segment_key

),

final as (

    select
        splits.report_id,
        reports.report_title,
        reports.market as market_key,
        markets.market_name,
        splits.dimension,
        dimensions.dimension_name,
        dimensions.dimension_sort_order,
        splits.region_key,
        splits.market_year,
        {{ year_start('splits.market_year') }} as market_date,
        splits.segment_key,
        segments.segment_name,
        segments.sort_order as segment_sort_order,
        named_countries.named_countries,
        splits.share_pct,
        splits.share_qualifier,
        splits.share_low_pct,
        splits.share_high_pct,
        splits.share_basis,
        splits.segment_value,
        splits.segment_value_unit,
        units.unit_name as segment_value_unit_name,
        units.quantity as segment_value_quantity,
        units.currency as segment_value_currency,
        splits.segment_value_basis,
        splits.total_value as market_total,
        splits.total_basis as market_total_basis,
        splits.is_forecast,
        splits.derivation,
        splits.source_figure_ids,
        region_names.region_name,
        {{ display_decimals(
            'splits.share_pct', 'splits.share_basis', 'share_source_decimals.source_decimals',
        ) }} as share_decimals,
        case
            when splits.segment_value_basis = 'derived' then derived_value_decimals.value_decimals
            else {{ display_decimals(
                'splits.segment_value', 'splits.segment_value_basis', 'value_source_decimals.source_decimals',
            ) }}
        end as segment_value_decimals,
        splits.derivation_text

    from splits
    inner join reports
        on splits.report_id = reports.report_id
    inner join dimensions
        on splits.dimension = dimensions.dimension
    left join markets
        on reports.market = markets.market
    left join segments
        on splits.dimension = segments.dimension
        and splits.segment_key = segments.segment_key
    left join units
        on splits.segment_value_unit = units.unit_key
    left join named_countries
        on splits.report_id = named_countries.report_id
        and splits.dimension = named_countries.dimension
        and splits.segment_key = named_countries.segment_key
    left join region_names
        on splits.region_key = region_names.region_key
    left join share_source_decimals
        on splits.share_source_figure_ids = share_source_decimals.source_figure_ids
    left join value_source_decimals
        on splits.source_figure_ids = value_source_decimals.source_figure_ids
    left join derived_value_decimals
        on splits.report_id = derived_value_decimals.report_id
        and splits.share_metric = derived_value_decimals.share_metric
        and splits.dimension = derived_value_decimals.dimension
        and splits.segment_key = derived_value_decimals.segment_key
        and splits.region_key = derived_value_decimals.region_key
        and splits.market_year = derived_value_decimals.market_year
    cross join display

)

select * from final
