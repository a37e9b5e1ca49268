with

source as (

    select * from {{ ref('quantities') }}

),

final as (

    select
        lower(quantity) as quantity,
        display_name as quantity_name,
        is_positive,
        description as quantity_description

    from source

)

select * from final
