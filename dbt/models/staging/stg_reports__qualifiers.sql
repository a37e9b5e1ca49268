with

source as (

    select * from {{ ref('qualifiers') }}

),

final as (

    select
        qualifier,
        lower(side) as qualifier_side,
        cast(widening_pct as {{ type_double() }}) as widening_pct,
        description as qualifier_description

    from source

)

select * from final
