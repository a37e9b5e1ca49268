{#- The per-report chain built incrementally (docs/scale.md "Build what changed").

    A refresh whose served build has the same definitions (models, macros, vocabulary and other seeds,
    package version: marketwh/warehouse/definitions.py) starts its candidate as a copy of the served file
    and sets MARKETWH_BUILD_MODE=incremental. Each model of the chain (materialized incremental, strategy
    append) then deletes the rows of the reports whose inputs changed or that were removed (the pre-hook
    `delete_changed_reports`) and inserts the rows of the changed reports only (`changed_reports_only`).
    Which reports changed is decided by int_reports_changed, from the inputs themselves. In any other
    mode a chain model that exists already (a partial refresh's copy of what is served) is emptied and
    rebuilt whole; a fresh candidate (and every Spark build) builds it for the first time. -#}

{% macro incremental_build_mode() -%}
    {{ return(env_var('MARKETWH_BUILD_MODE', 'full') == 'incremental') }}
{%- endmacro %}

{#- The report ids int_reports_changed marks changed (added, changed or removed), as a SQL list. -#}
{% macro changed_report_list() -%}
    {%- set changes = ref('int_reports_changed') -%}
    {%- set ids = [] -%}
    {%- if execute -%}
        {%- set rows = run_query('select report_id from ' ~ changes ~ ' where is_changed order by report_id') -%}
        {%- for row in rows -%}
            {%- do ids.append("'" ~ dbt.escape_single_quotes(row[0]) ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('(' ~ (ids | join(', ') if ids else 'null') ~ ')') }}
{%- endmacro %}

{#- `where <column> in (<changed reports>)` in an incremental build, else nothing. -#}
{% macro changed_reports_only(column='report_id') -%}
    {%- if not execute -%}
        {%- set changes = ref('int_reports_changed') -%}  {#- at parse: the model depends on it (a unit test gives no rows of it) -#}
    {%- endif -%}
    {#- the mode first: a unit test (never run with it) has no relation to ask is_incremental about -#}
    {%- if incremental_build_mode() and is_incremental() %}
    where {{ column }} in {{ changed_report_list() }}
    {%- endif -%}
{%- endmacro %}

{#- The chain model's pre-hook: drop the rows the model inserts again (all of them unless incremental). -#}
{% macro delete_changed_reports() -%}
    {%- if is_incremental() -%}
        {%- if incremental_build_mode() -%}
            delete from {{ this }} where report_id in {{ changed_report_list() }}
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
