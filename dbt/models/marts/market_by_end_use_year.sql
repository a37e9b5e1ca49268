-- One row per report, end use segment and year: share and derived value, or not_reported.
{{ market_by_dimension_year('end_use') }}
