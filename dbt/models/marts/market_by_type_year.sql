with

{{ market_by_dimension_year('type') }}

select * from final
