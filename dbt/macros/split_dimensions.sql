{#- The dimensions a market is split by, defined once for every model that handles splits. -#}
{% macro split_dimensions() -%}
    {{ return(['type', 'region', 'application', 'end_use']) }}
{%- endmacro %}

{% macro split_dimensions_sql() -%}
    {%- for dimension in split_dimensions() -%}
        '{{ dimension }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The rows of every split mart (market_by_<dimension>_year) with their dimension, one union: the
    audits read all splits alike. -#}
{% macro split_marts_union(columns) -%}
    {%- for dimension in split_dimensions() %}
    select
        '{{ dimension }}' as dimension,
        {{ column_list(columns) }}
    from {{ ref('market_by_' ~ dimension ~ '_year') }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
