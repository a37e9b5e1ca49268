-- The display name of every geography a figure's region_key may name: a region of seeds/segments.csv,
-- or a country (the two dimensions the validator accepts as a figure's region, rule unknown_region).
-- A key that is both a region and a country is named as the region.
with

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

geographies as (

    select
        segment_key as region_key,
        segment_name as region_name,
        row_number() over (
            partition by segment_key
            order by case when dimension = 'region' then 0 else 1 end, segment_market
        ) as preference

    from segments
    where dimension in ('region', 'country')

),

final as (

    select
        region_key,
        region_name

    from geographies
    where preference = 1

)

select * from final
