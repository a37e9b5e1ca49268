with

source as (

    select * from {{ ref('claim_types') }}

),

final as (

    select
        lower(claim_type) as claim_type,
        nullif(lower(dimension), '') as claim_dimension,
        lists_segments,
        ranks as is_ranking,
        description as claim_type_description

    from source

)

select * from final
