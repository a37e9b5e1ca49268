with

source as (

    select * from {{ ref('dimensions') }}

),

final as (

    select
        lower(dimension) as dimension,
        display_name as dimension_name,
        is_split,
        sort_order as dimension_sort_order,
        description as dimension_description

    from source

)

select * from final
