{#- How the orchestrator reads from and publishes on the engine dbt builds on, through dbt's own
    connection (`dbt run-operation`), so the audits and the publish work the same on every target.
    marketwh/warehouse/engine.py calls these; on DuckDB it reads the file directly instead. -#}

{#- Run each named query and write its rows as parquet under `directory`/<name> (DuckDB: one file,
    Spark: a folder of part files). With `require` (schema.relation), export nothing when that
    relation does not exist (nothing published yet). -#}
{% macro export_queries(queries, directory, require='') %}
    {% if require %}
        {% set schema, identifier = require.split('.') %}
        {% if adapter.get_relation(database=target.database, schema=schema, identifier=identifier) is none %}
            {{ log(require ~ ' does not exist: nothing exported', info=True) }}
            {{ return('') }}
        {% endif %}
    {% endif %}
    {% for name, sql in queries.items() %}
        {% do run_query(adapter.dispatch('export_query', 'marketwh')(sql, directory ~ '/' ~ name)) %}
    {% endfor %}
    {{ log('exported ' ~ (queries | length) ~ ' queries to ' ~ directory, info=True) }}
{% endmacro %}

{#- Several exports in one operation (on Spark each operation starts a JVM and a session): `groups` is a
    list of {queries, directory, require}, each exported as export_queries does. In a group's queries,
    `__served_build__` names the build the served views point at (marts.warehouse_build's build_id):
    only marts.* are served views, a served build's other schemas (its audits) keep their build's name. -#}
{% macro export_reads(groups) %}
    {% for group in groups %}
        {% set queries = group['queries'] %}
        {% if group['require'] and (queries.values() | join(' ')).find('__served_build__') >= 0 %}
            {% set schema, identifier = group['require'].split('.') %}
            {% if adapter.get_relation(database=target.database, schema=schema, identifier=identifier) is not none %}
                {% set served_build = run_query('select build_id from marts.warehouse_build').columns[0].values()[0] %}
                {% set resolved = {} %}
                {% for name, sql in queries.items() %}
                    {% do resolved.update({name: sql.replace('__served_build__', served_build)}) %}
                {% endfor %}
                {% set queries = resolved %}
            {% endif %}
        {% endif %}
        {% do export_queries(queries, group['directory'], group['require']) %}
    {% endfor %}
{% endmacro %}

{% macro default__export_query(sql, path) -%}
    copy ({{ sql }}) to '{{ dbt.escape_single_quotes(path) }}' (format parquet)
{%- endmacro %}

{% macro spark__export_query(sql, path) -%}
    insert overwrite directory '{{ dbt.escape_single_quotes(path) }}' using parquet {{ sql }}
{%- endmacro %}

{#- Publish a Spark build (schemas <build_id>_seeds ... <build_id>_marts, every table built by dbt, the
    findings and the build stamp included): point each served view marts.<name> of `views` at
    <build_id>_marts; drop every older
    build except the one served until now (kept for a rollback); then export `observe` (named queries)
    from the served views into `directory`. Spark's metastore replaces each view atomically, one view
    at a time (docs/scale.md, "Outgrowing one machine"). -#}
{% macro publish_build(build_id, views, observe, directory) %}
    {% set build_schema = build_id ~ '_marts' %}
    {% do run_query('create schema if not exists marts') %}
    {% set keep = [build_id] %}
    {% if adapter.get_relation(database=target.database, schema='marts', identifier='warehouse_build') is not none %}
        {% do keep.extend(run_query('select build_id from marts.warehouse_build').columns[0].values()) %}
    {% endif %}
    {% for name in views %}
        {% do run_query('create or replace view marts.' ~ name ~ ' as select * from ' ~ build_schema ~ '.' ~ name) %}
    {% endfor %}
    {{ log('published ' ~ build_schema ~ ' as the views marts.* (' ~ (views | length) ~ ' views); kept builds: ' ~ keep | join(', '), info=True) }}
    {% for schema in run_query('show schemas').columns[0].values() %}
        {% if schema.startswith('build_') and '_'.join(schema.split('_')[:2]) not in keep %}
            {% do run_query('drop schema if exists ' ~ schema ~ ' cascade') %}
            {{ log('dropped ' ~ schema, info=True) }}
        {% endif %}
    {% endfor %}
    {% do export_queries(observe, directory) %}
{% endmacro %}
