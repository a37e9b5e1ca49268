{#- The bulk curated CSVs (sources `curated`, declared in seeds/_seeds.yml) as a relation, read by
    the engine's own reader where they lie instead of being copied in by `dbt seed`.

    DuckDB: read_csv over seeds/<file>, every column typed as its `data_type` says (the validator
    checks the file against the same types), no type sniffing, empty cells are NULL as in a seed.
    Other engines: the source table itself, which the engine maps onto the same file (e.g. a Spark
    `CREATE TABLE ... USING csv`), so the models stay portable. -#}
{% macro curated_csv(table_name) -%}
    {{ return(adapter.dispatch('curated_csv', 'marketwh')(table_name)) }}
{%- endmacro %}

{% macro default__curated_csv(table_name) -%}
    {{ source('curated', table_name) }}
{%- endmacro %}

{% macro duckdb__curated_csv(table_name) -%}
    {%- set relation = source('curated', table_name) -%}  {#- the lineage: staging reads this source -#}
    {%- if execute -%}
        {%- set table = graph.sources['source.' ~ project_name ~ '.curated.' ~ table_name] -%}
        {%- set path = var('curated_dir', 'seeds') ~ '/' ~ table.meta.file -%}
        read_csv(
            '{{ path }}',
            header = true,
            auto_detect = false,
            delim = ',',
            quote = '"',
            escape = '"',
            strict_mode = true,
            columns = {
                {%- for column in table.columns.values() %}
                '{{ column.name }}': '{{ column.data_type }}'{{ ',' if not loop.last }}
                {%- endfor %}
            }
        )
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
