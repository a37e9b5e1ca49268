{#- The dimensions a market is split by, defined once for every model that handles splits. -#}
{% macro split_dimensions() -%}
    {{ return(['type', 'region', 'application', 'end_use']) }}
{%- endmacro %}

{% macro split_dimensions_sql() -%}
    {%- for dimension in split_dimensions() -%}
        '{{ dimension }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
