with

source as (

    select * from {{ ref('segments') }}

),

final as (

    select
        lower(dimension) as dimension,
        lower(segment_key) as segment_key,
        {{ dbt.concat(["lower(dimension)", "':'", "lower(segment_key)"]) }} as segment_id,
        display_name as segment_name,
        lower(parent_dimension) as parent_dimension,
        lower(parent_key) as parent_key,
        sort_order,
        nullif(lower(market), '') as segment_market

    from source

)

select * from final
