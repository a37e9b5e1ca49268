-- One row per report, split dimension (type, region, application, end use), segment and year:
-- the share the report states for the segment, or an explicit `not_reported` row where the report
-- lists the segment but states no figure for it. A segment's value is derived only from a reported
-- share and a total of the same year; nothing is spread, interpolated or invented.
with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

claims as (

    select * from {{ ref('stg_reports__claims') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

totals as (

    select * from {{ ref('int_market_totals_interpolated') }}

),

shares as (

    select *
    from figures
    where metric = 'share'
        and dimension in ({{ split_dimensions_sql() }})
        and figure_year is not null

),

report_segments as (

    select report_id, dimension, segment_key
    from claims
    where claim_type = 'segment_listed'
        and dimension in ({{ split_dimensions_sql() }})

    union

    select report_id, dimension, segment_key
    from shares

),

report_years as (

    select report_id, market_year from totals

    union

    select report_id, figure_year as market_year from shares

),

-- the headline total a share applies to: the report's own geography and its first total metric
report_totals as (

    select
        totals.report_id,
        totals.market_year,
        totals.metric as total_metric,
        totals.value as total_value,
        totals.unit_key as total_unit,
        totals.basis as total_basis,
        totals.source_figure_ids as total_figure_ids

    from totals
    inner join reports
        on totals.report_id = reports.report_id
        and totals.region_key = reports.geography

),

grid as (

    select
        report_segments.report_id,
        report_segments.dimension,
        report_segments.segment_key,
        report_years.market_year

    from report_segments
    inner join report_years
        on report_segments.report_id = report_years.report_id

),

final as (

    select
        grid.report_id,
        grid.dimension,
        grid.segment_key,
        reports.geography as region_key,
        grid.market_year,
        grid.market_year > reports.base_year as is_forecast,
        shares.value as share_pct,
        shares.qualifier as share_qualifier,
        case when shares.value is null then 'not_reported' else 'reported' end as share_basis,
        report_totals.total_metric,
        report_totals.total_value,
        report_totals.total_unit,
        report_totals.total_basis,
        shares.value * report_totals.total_value / 100 as segment_value,
        case
            when shares.value is null then 'not_reported'
            when report_totals.total_value is null then 'not_reported'
            else 'derived'
        end as segment_value_basis,
        case
            when shares.value is not null and report_totals.total_value is not null
                then {{ dbt.concat([
                    "'reported share ('",
                    "cast(shares.value as " ~ dbt.type_string() ~ ")",
                    "' %) x ' ",
                    "report_totals.total_basis",
                    "' total ('",
                    "cast(report_totals.total_value as " ~ dbt.type_string() ~ ")",
                    "' '",
                    "report_totals.total_unit",
                    "') / 100'",
                ]) }}
        end as derivation,
        case
            when shares.value is null then null
            when report_totals.total_figure_ids is null then shares.source_figure_ids
            else {{ dbt.concat(["shares.source_figure_ids", "','", "report_totals.total_figure_ids"]) }}
        end as source_figure_ids

    from grid
    inner join reports
        on grid.report_id = reports.report_id
    left join shares
        on grid.report_id = shares.report_id
        and grid.dimension = shares.dimension
        and grid.segment_key = shares.segment_key
        and grid.market_year = shares.figure_year
    left join report_totals
        on grid.report_id = report_totals.report_id
        and grid.market_year = report_totals.market_year

)

select * from final
