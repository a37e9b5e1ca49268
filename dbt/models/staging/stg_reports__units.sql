with

source as (

    select * from {{ ref('units') }}

),

final as (

    select
        lower(unit_key) as unit_key,
        display_name as unit_name,
        lower(quantity) as quantity,
        upper(currency) as currency,
        cast(multiplier_to_base as {{ type_double() }}) as multiplier_to_base,
        lower(base_unit) as base_unit,
        lower(mart_unit) as mart_unit

    from source

)

select * from final
