{{ market_by_dimension_year('application') }}
