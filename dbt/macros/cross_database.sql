{#- Portable helpers: the project must also run on Spark and PostgreSQL. -#}

{#- A 64-bit float. dbt.type_float() is 32-bit on DuckDB and Spark. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'marketwh')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#- Integers 0..(10^digits - 1) from a cross join of digit lists: no generate_series (absent on
    Spark) and no range() (DuckDB only). -#}
{% macro integer_series(digits=3) -%}
    {%- set digit_rows -%}
        select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    {%- endset -%}
    select
        {% for i in range(digits) -%}
        {{ 'd' ~ i }}.d * {{ 10 ** i }}{{ ' + ' if not loop.last }}
        {%- endfor %} as n
    from
        {% for i in range(digits) -%}
        ({{ digit_rows }}) as {{ 'd' ~ i }}{{ ',' if not loop.last }}
        {% endfor %}
{%- endmacro %}

{#- CAGR in percent between two positive values over a number of compounding years. -#}
{% macro cagr_pct(start_value, end_value, years) -%}
    (power(
        cast({{ end_value }} as {{ type_double() }}) / nullif(cast({{ start_value }} as {{ type_double() }}), 0),
        1.0 / nullif(cast({{ years }} as {{ type_double() }}), 0)
    ) - 1) * 100
{%- endmacro %}

{#- `prefix.c1, prefix.c2, ...` (one column a line; no prefix when none is given): a composite key in a
    select list or a group by, written once. -#}
{% macro column_list(columns, prefix='') -%}
    {%- for column in columns -%}
        {{ prefix ~ '.' if prefix }}{{ column }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- `left.c1 = right.c1 and left.c2 = right.c2 ...`: the join condition of a composite key, written once. -#}
{% macro join_on(left, right, columns) -%}
    {%- for column in columns -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}{{ '\n        and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- 1 January of a year, as a date: the time column a BI tool's time-series chart looks for (make_date
    exists on DuckDB, Spark and PostgreSQL alike). -#}
{% macro year_start(year) -%}
    make_date({{ year }}, 1, 1)
{%- endmacro %}

{#- An expression as text, portably (`varchar` on DuckDB/PostgreSQL, `string` on Spark). -#}
{% macro as_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- A number as text in a derivation or an estimates list, the same on every engine: rounded to the six
    decimals the seeds keep, without trailing zeros (a double's own text differs: DuckDB prints the
    shortest round trip, Spark switches to scientific notation above 1e7 and below 1e-3). -#}
{% macro number_text(expression) -%}
    regexp_replace({{ as_text('cast(round(' ~ expression ~ ', 6) as decimal(38, 6))') }}, '[.]?0+$', '')
{%- endmacro %}

{#- A number as text for people (derivation_text): number_text's digits with the thousands separated
    ("2,720,000", "3.3556"). Engines group digits with different functions: the integer part's grouping
    is dispatched; the decimals are number_text of the fraction without its leading 0 ("0.3556" -> ".3556",
    "0" -> ""), with substr, which every engine has (regexp_extract is not PostgreSQL's). -#}
{% macro grouped_number_text(expression) -%}
    {%- set magnitude = 'abs(round(' ~ expression ~ ', 6))' -%}
    {{ dbt.concat([
        "case when round(" ~ expression ~ ", 6) < 0 then '-' else '' end",
        grouped_integer_text('cast(floor(' ~ magnitude ~ ') as bigint)'),
        "substr(" ~ number_text(magnitude ~ ' - floor(' ~ magnitude ~ ')') ~ ", 2)",
    ]) }}
{%- endmacro %}

{#- A non-negative integer with its thousands separated by commas. -#}
{% macro grouped_integer_text(expression) -%}
    {{ return(adapter.dispatch('grouped_integer_text', 'marketwh')(expression)) }}
{%- endmacro %}

{% macro default__grouped_integer_text(expression) -%}
    format('{:,}', {{ expression }})
{%- endmacro %}

{% macro spark__grouped_integer_text(expression) -%}
    format_number({{ expression }}, 0)
{%- endmacro %}

{% macro postgres__grouped_integer_text(expression) -%}
    trim(to_char({{ expression }}, 'FM999,999,999,999,999,999,990'))
{%- endmacro %}

{#- The items of a comma-separated list as rows: a set-returning expression for a select list
    (`select list, list_items(list) as item from ...`), one row per item; a null list gives none. -#}
{% macro list_items(expression) -%}
    {{ return(adapter.dispatch('list_items', 'marketwh')(expression)) }}
{%- endmacro %}

{% macro default__list_items(expression) -%}
    unnest(string_split({{ expression }}, ','))
{%- endmacro %}

{% macro spark__list_items(expression) -%}
    explode(split({{ expression }}, ','))
{%- endmacro %}

{% macro postgres__list_items(expression) -%}
    unnest(string_to_array({{ expression }}, ','))
{%- endmacro %}
