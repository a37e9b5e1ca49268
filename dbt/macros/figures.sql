{#- The definitions every figure model shares, written once. -#}

{#- What a figure is about: which report states it, what it measures, of which segment and region. -#}
{% macro figure_series_columns() -%}
    {{ return(['report_id', 'metric', 'dimension', 'segment_key', 'region_key']) }}
{%- endmacro %}

{#- When a figure holds: a year for a point value, a start and end year for a rate over a period. -#}
{% macro figure_period_columns() -%}
    {{ return(['figure_year', 'period_start_year', 'period_end_year']) }}
{%- endmacro %}

{#- The columns that identify one figure of a report. Models add unit and qualifier where two figures
    differ only by them. -#}
{% macro figure_key_columns() -%}
    {{ return(figure_series_columns() + figure_period_columns()) }}
{%- endmacro %}

{#- `c1, c2, ...` of the figure key (with a table prefix when given), for select lists and group by. -#}
{% macro figure_key(prefix='') -%}
    {{ column_list(figure_key_columns(), prefix) }}
{%- endmacro %}

{#- The figure key as text, as a list of parts for dbt.concat: `report|metric|...|year|start-end`.
    A null year or period is empty text; the start and end of a period are joined by `-`. Pass other
    columns (e.g. the key without report_id, plus unit_key) to format another figure key the same way. -#}
{% macro figure_key_text_parts(prefix='', columns=none) -%}
    {%- set columns = figure_key_columns() if columns is none else columns -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set expression = (prefix ~ '.' if prefix) ~ column -%}
        {%- if not loop.first -%}
            {%- do parts.append("'-'" if column == 'period_end_year' and loop.previtem == 'period_start_year' else "'|'") -%}
        {%- endif -%}
        {%- if column in figure_period_columns() -%}
            {%- do parts.append("coalesce(" ~ as_text(expression) ~ ", '')") -%}
        {%- else -%}
            {%- do parts.append(expression) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}

{#- A figure is a forecast when its year (or the end of its period) lies after the report's base year (or, when it
    declares none, from its forecast_start_year on; null when it declares neither),
    the last year the report gives actuals for. -#}
{% macro is_forecast(year, base_year='reports.base_year', forecast_start='reports.forecast_start_year') -%}
    ({{ year }}) > coalesce({{ base_year }}, {{ forecast_start }} - 1)
{%- endmacro %}

{#- The key of a market_figures row as text: the figure key, then `|qualifier` when there is one. The
    same expression names a stated figure's row in figure_sources, so the two join on it. -#}
{% macro market_figure_id(prefix) -%}
    {{ dbt.concat(figure_key_text_parts(prefix) + [
        "case when " ~ prefix ~ ".qualifier = '' then '' else " ~ dbt.concat(["'|'", prefix ~ ".qualifier"]) ~ " end",
    ]) }}
{%- endmacro %}
