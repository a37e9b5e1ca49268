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

{#- The keys (`column`) of the rows of `changes` (int_reports_changed, int_markets_changed) marked
    is_changed, as a SQL list ((null) when none: `x in (null)` holds for no row). -#}
{% macro changed_key_list(changes, column) -%}
    {%- set keys = [] -%}
    {%- if execute -%}
        {%- set rows = run_query('select ' ~ column ~ ' from ' ~ changes ~ ' where is_changed order by ' ~ column) -%}
        {%- for row in rows -%}
            {%- do keys.append("'" ~ dbt.escape_single_quotes(row[0]) ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('(' ~ (keys | join(', ') if keys else 'null') ~ ')') }}
{%- endmacro %}

{#- `<column> in (<the keys `changes` marks changed>)` in an incremental build, else `true` (every row):
    `changes` is int_reports_changed (key report_id) or int_markets_changed (key market_key). -#}
{% macro changed_condition(changes, key, column) -%}
    {%- if not execute -%}
        {%- set relation = ref(changes) -%}  {#- at parse: the model depends on it (a unit test gives no rows of it) -#}
    {%- endif -%}
    {#- the mode first: a unit test (never run with it) has no relation to ask is_incremental about -#}
    {%- if incremental_build_mode() and is_incremental() -%}
        {{ column }} in {{ changed_key_list(ref(changes), key) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- An incremental model's pre-hook: drop the rows it inserts again, those of the keys `changes` marks
    changed (all of them unless the build is incremental). -#}
{% macro delete_changed(changes, key, column) -%}
    {%- if is_incremental() -%}
        {%- if incremental_build_mode() -%}
            delete from {{ this }} where {{ column }} in {{ changed_key_list(ref(changes), key) }}
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- `where <column> in (<changed reports>)` in an incremental build, else nothing. -#}
{% macro changed_reports_only(column='report_id') -%}
    {%- set condition = changed_reports_condition(column) -%}  {#- at parse too: the model depends on int_reports_changed -#}
    {%- if incremental_build_mode() and is_incremental() %}
    where {{ condition }}
    {%- endif -%}
{%- endmacro %}

{#- `<column> in (<changed reports>)` in an incremental build, else `true`: a condition for a where clause
    that has others (market_by_<dimension>_year reads one dimension of market_splits). -#}
{% macro changed_reports_condition(column='report_id') -%}
    {{ return(changed_condition('int_reports_changed', 'report_id', column)) }}
{%- endmacro %}

{#- The chain model's pre-hook: drop the rows the model inserts again (all of them unless incremental). -#}
{% macro delete_changed_reports() -%}
    {{ return(delete_changed('int_reports_changed', 'report_id', 'report_id')) }}
{%- endmacro %}

{#- The models that mix reports but never markets (consensus, comparisons; dbt_project.yml `per_market`):
    a row of a market depends on the rows of that market's reports (and their series' other editions)
    only, so an incremental build deletes the rows of the markets int_markets_changed marks changed (any
    of whose reports was added, changed, removed or moved) and appends those markets' rows, computed by
    the model's own SQL with `changed_markets_condition` in its filters. -#}

{#- `<column> in (<changed markets>)` in an incremental build, else `true` (every market): a condition for
    a model's where clause, placed where the model reads its first rows of a market. -#}
{% macro changed_markets_condition(column='market_key') -%}
    {{ return(changed_condition('int_markets_changed', 'market_key', column)) }}
{%- endmacro %}

{#- The per-market model's pre-hook: drop the rows the model inserts again (all of them unless incremental). -#}
{% macro delete_changed_markets(column='market_key') -%}
    {{ return(delete_changed('int_markets_changed', 'market_key', column)) }}
{%- endmacro %}

{#- The last two CTEs of int_reports_changed and int_markets_changed: `fingerprints` (one row per `key`
    of this build, with its fingerprint) against the fingerprints the model held in `previous` (the
    relation of the copied build, none in a fresh candidate): one row per key of either, is_changed when
    the two differ (added, changed or removed). -#}
{% macro fingerprint_changes(previous, key) %}
previous_fingerprints as (

    {% if previous is not none -%}
        select
            {{ key }},
            fingerprint
        from {{ previous }}
        where fingerprint is not null
    {%- else -%}
        select
            {{ as_text('null') }} as {{ key }},
            {{ as_text('null') }} as fingerprint
        where 1 = 0
    {%- endif %}

),

final as (

    select
        coalesce(fingerprints.{{ key }}, previous_fingerprints.{{ key }}) as {{ key }},
        fingerprints.fingerprint,
        previous_fingerprints.fingerprint as previous_fingerprint,
        coalesce(fingerprints.fingerprint, '') <> coalesce(previous_fingerprints.fingerprint, '') as is_changed

    from fingerprints
    full outer join previous_fingerprints
        on fingerprints.{{ key }} = previous_fingerprints.{{ key }}

)
{% endmacro %}
