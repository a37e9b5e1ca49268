with

source as (

    select * from {{ ref('markets') }}

),

final as (

    select
        lower(market_key) as market,
        display_name as market_name,
        description as market_description

    from source

)

select * from final
