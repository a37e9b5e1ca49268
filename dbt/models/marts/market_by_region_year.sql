-- One row per report, region segment and year: share and derived value, or not_reported.
{{ market_by_dimension_year('region') }}
