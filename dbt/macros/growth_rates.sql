{#- The keys of the growth-rate check (int_cagr_values, int_cagr_spans, int_cagr_falls, int_cagr_compared),
    written once. -#}

{#- Where a rate is checked: a report's series (seeds/metrics.csv: a rate and the levels it grows share a
    series, so EV sales stay apart from the market's size) of one segment and region. -#}
{% macro growth_place_columns() -%}
    {{ return(['report_id', 'metric_series', 'dimension', 'segment_key', 'region_key']) }}
{%- endmacro %}

{#- One run of level values within a place: a level metric in one unit. -#}
{% macro growth_value_columns() -%}
    {{ return(growth_place_columns() + ['metric', 'unit_key']) }}
{%- endmacro %}
