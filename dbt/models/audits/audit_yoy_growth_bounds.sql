{#- One row per year-on-year growth figure (stated or derived) with a value: it must lie between
    yoy_growth_min and yoy_growth_max percent. -#}
{{ bounds_audit(
    'yoy_growth_within_bounds', 'growth', 'yoy_growth_min', 'yoy_growth_max',
    columns=['report_id', 'figure_id', 'figure_year', 'value', 'source_figure_ids'],
) }}
