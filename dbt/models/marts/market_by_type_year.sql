{{ market_by_dimension_year('type') }}
