{#- Use the configured schema name exactly (`staging`, `intermediate`, `marts`, `seeds`) so BI
    users find `marts.market_figures`, not dbt's default `<target>_marts`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
