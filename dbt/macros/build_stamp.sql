{#- What the build stamp (marts.warehouse_build) says about the engine that wrote the build. -#}

{#- When the build ran: an instant (timestamp with time zone on DuckDB, Spark's timestamp is one). -#}
{% macro build_timestamp() -%}
    {{ return(adapter.dispatch('build_timestamp', 'marketwh')()) }}
{%- endmacro %}

{% macro default__build_timestamp() -%}
    current_timestamp
{%- endmacro %}

{#- The DuckDB library that wrote the file; null on another engine. -#}
{% macro engine_library_version() -%}
    {{ return(adapter.dispatch('engine_library_version', 'marketwh')()) }}
{%- endmacro %}

{% macro default__engine_library_version() -%}
    {{ as_text('null') }}
{%- endmacro %}

{% macro duckdb__engine_library_version() -%}
    {{ as_text("regexp_replace(version(), '^v', '')") }}
{%- endmacro %}

{#- The oldest DuckDB storage version able to read the file (the profile's storage_compatibility_version,
    dbt/profiles.yml); null on another engine. -#}
{% macro storage_compatibility_version() -%}
    {{ return(adapter.dispatch('storage_compatibility_version', 'marketwh')()) }}
{%- endmacro %}

{% macro default__storage_compatibility_version() -%}
    {{ as_text('null') }}
{%- endmacro %}

{% macro duckdb__storage_compatibility_version() -%}
    {{ as_text("'" ~ target.config_options.storage_compatibility_version ~ "'") }}
{%- endmacro %}

{#- One row per row of `relation` (a staging view of a report's own seed rows): its report_id and the
    row as text, every column in order, prefixed with `label` (null cells as \N). The fingerprint of a
    report's inputs is built from these rows (warehouse_build.report_input_fingerprints). -#}
{% macro report_rows_as_text(relation, label) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) if execute else [] -%}
    {%- set parts = ["'" ~ label ~ "'"] -%}
    {%- for column in columns -%}
        {%- do parts.append("'|'") -%}
        {%- do parts.append("coalesce(" ~ as_text(adapter.quote(column.name)) ~ ", '\\N')") -%}
    {%- endfor %}
    select
        report_id,
        {{ dbt.concat(parts) if columns else "'" ~ label ~ "'" }} as row_text
    from {{ relation }}
{%- endmacro %}
