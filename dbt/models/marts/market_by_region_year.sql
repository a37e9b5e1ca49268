{{ market_by_dimension_year('region') }}
