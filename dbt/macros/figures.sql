{#- The definitions every figure model shares, written once. -#}

{#- The columns that identify one figure of a report: what it measures, of which segment and region,
    for which year or period. Models add unit and qualifier where two figures differ only by them. -#}
{% macro figure_key_columns() -%}
    {{ return(['report_id', 'metric', 'dimension', 'segment_key', 'region_key', 'figure_year', 'period_start_year', 'period_end_year']) }}
{%- endmacro %}

{#- `c1, c2, ...` of the figure key (with a table prefix when given), for select lists and group by. -#}
{% macro figure_key(prefix='') -%}
    {%- for column in figure_key_columns() -%}
        {{ prefix ~ '.' if prefix }}{{ column }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- A figure is a forecast when its year (or the end of its period) lies after the report's base year,
    the last year the report gives actuals for. -#}
{% macro is_forecast(year, base_year='reports.base_year') -%}
    ({{ year }}) > {{ base_year }}
{%- endmacro %}
