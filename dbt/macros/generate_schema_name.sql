{#- Use the configured schema name exactly (`staging`, `intermediate`, `marts`, `seeds`) so BI
    users find `marts.market_figures`, not dbt's default `<target>_marts`. A Spark refresh builds into
    its own schemas, `<build id>_marts` etc. (var `schema_prefix`), and publishes views `marts.*`
    over them (macro publish_build); DuckDB builds a candidate file instead and needs no prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ var('schema_prefix', '') }}{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
