with

{{ market_by_dimension_year('region') }}

select * from final
