with

{{ market_by_dimension_year('application') }}

select * from final
