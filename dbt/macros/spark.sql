{#- Where dbt-spark 1.11 itself is wrong for this project, a project macro of the same name takes
    precedence over the adapter's (dbt's dispatch looks in the root project first). -#}

{#- dbt-spark's listagg drops the order by (with a warning) and returns collect_list order, so id
    lists would come out in a different order on every run. Spark 4 has the standard
    `listagg(...) within group (order by ...)`. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with limit_num is not supported on Spark") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}

{#- dbt-spark's session method binds seed values as '{value}' without escaping (an apostrophe in a
    report title breaks the insert) and turns an empty cell into the text 'None'. Inline each value as
    a typed literal instead: null for an empty cell, backslash and quote escaped. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set batch_size = get_batch_size() %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(batch_size) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}cast(null as {{ type }})
                    {%- else -%}cast('{{ (value | string) | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {{- ',' if not loop.last }}
                {%- endfor -%})
                {{- ',' if not loop.last }}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}{% do statements.append(sql) %}{% endif %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}
