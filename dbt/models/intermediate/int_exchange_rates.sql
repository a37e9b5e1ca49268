-- Every exchange rate usable both ways: one row per (from currency, to currency, year) with the factor
-- that converts a value, and where the factor comes from. A rate printed as 7.0809 yuan per U.S. dollar
-- converts yuan to dollars by dividing (factor 1 / 7.0809) and dollars to yuan by multiplying; the
-- printed rate and its quote are kept on both rows, so a converted value names the number its document
-- prints, never an inverse rounded by hand.

with

rates as (

    select * from {{ ref('stg_references__exchange_rates') }}

),

documents as (

    select * from {{ ref('stg_references__documents') }}

),

both_ways as (

    select
        rate_id,
        document_id,
        rate_year,
        base_currency as from_currency,
        quote_currency as to_currency,
        rate as factor,
        'multiply' as applied_as,
        base_currency,
        quote_currency,
        rate,
        rate_quote
    from rates

    union all

    select
        rate_id,
        document_id,
        rate_year,
        quote_currency as from_currency,
        base_currency as to_currency,
        1 / rate as factor,
        'divide' as applied_as,
        base_currency,
        quote_currency,
        rate,
        rate_quote
    from rates

),

final as (

    select
        both_ways.from_currency,
        both_ways.to_currency,
        both_ways.rate_year,
        both_ways.factor,
        both_ways.applied_as,
        both_ways.rate_id,
        both_ways.rate,
        both_ways.base_currency,
        both_ways.quote_currency,
        both_ways.rate_quote,
        both_ways.document_id,
        documents.document_title,
        documents.document_publisher,
        documents.document_url,
        documents.document_path,
        documents.document_date_published
    from both_ways
    inner join documents
        on both_ways.document_id = documents.document_id

)

select * from final
