{#- The bulk curated CSVs (sources `curated`, declared in seeds/_seeds.yml) as a relation, read by
    the engine's own reader where they lie instead of being copied in by `dbt seed`.

    DuckDB: read_csv over seeds/<file>, every column typed as its `data_type` says (the validator
    checks the file against the same types), no type sniffing, empty cells are NULL as in a seed.
    Spark: a session temporary view over the same file with the declared schema, RFC 4180 quoting and
    FAILFAST (a malformed row fails the read, as strict_mode does); the two staging models that read it
    are tables, so the view lives only while they are built.
    Other engines: the source table itself, which the engine maps onto the same file. -#}
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
            '{{ dbt.escape_single_quotes(path) }}',
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

{% macro spark__curated_csv(table_name) -%}
    {%- set relation = source('curated', table_name) -%}
    {%- if execute -%}
        {%- set table = graph.sources['source.' ~ project_name ~ '.curated.' ~ table_name] -%}
        {%- set path = var('curated_dir', 'seeds') ~ '/' ~ table.meta.file -%}
        {%- set view_name = 'curated_csv__' ~ table_name -%}
        {%- set ddl -%}
            create or replace temporary view {{ view_name }} (
                {%- for column in table.columns.values() %}
                {{ column.name }} {{ column.data_type }}{{ ',' if not loop.last }}
                {%- endfor %}
            )
            using csv
            options (
                path '{{ dbt.escape_single_quotes(path) }}', header 'true', quote '"', escape '"', multiLine 'true',
                mode 'FAILFAST', encoding 'UTF-8', enforceSchema 'false'
            )
        {%- endset -%}
        {%- do run_query(ddl) -%}
        {{ view_name }}
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
