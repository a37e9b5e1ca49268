-- Where the report states a type share and a region share for the year, the cell is estimated under
-- an explicit independence assumption (type share x region share x total; basis `estimated`, the
-- method in `derivation`, never shown as reported); otherwise (or when the year has no single total: a
-- report sizing it both in value and in volume) the cell exists as `not_reported`.
{% set independence_assumption -%}
    'independence assumption: the type mix is the same in every region, so cell = total x type share x region share'
{%- endset %}

with

splits as (

    select * from {{ ref('int_segment_splits') }}
    {{ changed_reports_only() }}

),

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

types as (

    select * from splits
    where dimension = 'type'

),

regions as (

    select * from splits
    where dimension = 'region'

),

cells as (

    select
        types.report_id,
        types.market_year,
        types.is_forecast,
        types.segment_key as type_key,
        regions.segment_key as region_segment_key,
        types.share_pct as type_share_pct,
        types.share_basis as type_share_basis,
        regions.share_pct as region_share_pct,
        regions.share_basis as region_share_basis,
        types.total_value,
        types.total_unit,
        types.source_figure_ids as type_figure_ids,
        regions.source_figure_ids as region_figure_ids

    from types
    inner join regions
        on types.report_id = regions.report_id
        and types.market_year = regions.market_year

),

final as (

    select
        cells.report_id,
        cells.market_year,
        {{ year_start('cells.market_year') }} as market_date,
        cells.is_forecast,
        cells.type_key,
        type_segments.segment_name as type_name,
        cells.region_segment_key,
        region_segments.segment_name as region_name,
        cells.type_share_pct,
        cells.region_share_pct,
        case
            when cells.type_share_pct is not null and cells.region_share_pct is not null and cells.total_value is not null
                then cells.type_share_pct * cells.region_share_pct / 100
        end as estimated_share_pct,
        case
            when cells.type_share_pct is not null and cells.region_share_pct is not null and cells.total_value is not null
                then cells.total_value * cells.type_share_pct / 100 * cells.region_share_pct / 100
        end as estimated_value,
        cells.total_unit as value_unit,
        case
            when cells.type_share_pct is not null and cells.region_share_pct is not null and cells.total_value is not null
                then 'estimated'
            else 'not_reported'
        end as basis,
        case
            when cells.type_share_pct is not null and cells.region_share_pct is not null and cells.total_value is not null
                then {{ independence_assumption }}
        end as derivation,
        case
            when cells.type_share_pct is not null and cells.region_share_pct is not null and cells.total_value is not null
                then {{ dbt.concat(["cells.type_figure_ids", "','", "cells.region_figure_ids"]) }}
        end as source_figure_ids,
        -- the derivation in words for people (it names no key: the same words)
        case
            when cells.type_share_pct is not null and cells.region_share_pct is not null and cells.total_value is not null
                then {{ independence_assumption }}
        end as derivation_text

    from cells
    left join segments as type_segments
        on type_segments.dimension = 'type'
        and cells.type_key = type_segments.segment_key
    left join segments as region_segments
        on region_segments.dimension = 'region'
        and cells.region_segment_key = region_segments.segment_key

)

{{ select_with_market() }}
