with

source as (

    select * from {{ ref('exchange_rates') }}

),

final as (

    select
        rate_id,
        document_id,
        cast(year as integer) as rate_year,
        upper(base_currency) as base_currency,
        upper(quote_currency) as quote_currency,
        cast(rate as {{ type_double() }}) as rate,
        quote as rate_quote

    from source

)

select * from final
