{#- One row per stated or implied CAGR with a value: it must lie between cagr_min and cagr_max percent. -#}
{{ bounds_audit(
    'cagr_within_bounds', 'rate', 'cagr_min', 'cagr_max',
    columns=['report_id', 'figure_id', 'metric', 'value', 'source_figure_ids'],
    detail_columns=['metric'],
) }}
