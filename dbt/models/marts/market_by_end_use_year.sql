with

{{ market_by_dimension_year('end_use') }}

select * from final
