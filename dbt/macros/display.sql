{#- The one display-precision rule, written once: how many decimals a served value is shown with. A
    consumer (the site, Superset) rounds a value to 10^-decimals and never shows more digits; the full
    value stays in the data. Decimals may be negative: "2.5 million tons" served in tons is shown to
    the hundred thousand (-5).

    - a reported value: the decimals it was printed with, in the unit it is served in, from the printed
      half step (figures.sql): round(-log10(2 * half_step)). "US$ 5.4 billion" -> 1, "211,000 tons" -> 0.
    - a derived value: the decimals of its coarsest source plus derived_extra_decimals
      (seeds/audit_thresholds.csv): never more precise than what it comes from.
    - a growth rate the warehouse computes: rate_display_decimals (seeds/audit_thresholds.csv). -#}

{#- The decimals a printed number shows, in the unit of `value`. A printed 0 has no half step to scale
    (0 in any unit is 0): it keeps the decimals it is printed with ("0.0%": 1). -#}
{% macro printed_decimals(value, text, which='first') -%}
    cast(coalesce(
        round(-1 * log10(2 * {{ printed_half_step(value, text, which) }})),
        length(regexp_extract({{ printed_number_text(text, which) }}, '[.]([0-9]+)$', 1))
    ) as integer)
{%- endmacro %}

{#- A select of one row per distinct `source_figure_ids` of `rows` (a CTE or relation) with the decimals
    of its coarsest stated figure (int_figure_decimals): `source_figure_ids`, `source_decimals`. The ids
    are a comma-separated list, split into one row per id (list_items) and joined on the figure id: an
    equi-join, linear in the rows (matching `,id,` inside `,list,` compared every list with every figure:
    at 1,000 reports one model ran for minutes). -#}
{% macro coarsest_source_decimals(rows, ids_column='source_figure_ids') -%}
    select
        id_items.source_figure_ids,
        min(figure_decimals.value_decimals) as source_decimals
    from (
        select
            id_lists.source_figure_ids,
            {{ list_items('id_lists.source_figure_ids') }} as figure_id
        from (select distinct {{ ids_column }} as source_figure_ids from {{ rows }}) as id_lists
    ) as id_items
    inner join {{ ref('int_figure_decimals') }} as figure_decimals
        on id_items.figure_id = figure_decimals.figure_id
    group by id_items.source_figure_ids
{%- endmacro %}

{#- One row with the two display thresholds as columns: derived_extra_decimals, rate_display_decimals. -#}
{% macro display_thresholds() -%}
    select
        cast(max(case when rule = 'derived_extra_decimals' then threshold end) as integer) as derived_extra_decimals,
        cast(max(case when rule = 'rate_display_decimals' then threshold end) as integer) as rate_display_decimals
    from {{ ref('stg_reports__audit_thresholds') }}
{%- endmacro %}

{#- The display decimals of a served value (see the rule above): `basis` reported or derived,
    `source_decimals` from coarsest_source_decimals, `is_computed_rate` true for a growth rate the
    warehouse computes, `display` a relation holding display_thresholds(); null when `value` is. -#}
{% macro display_decimals(value, basis, source_decimals, is_computed_rate='false', display='display') -%}
    case
        when {{ value }} is null then null
        when {{ basis }} = 'derived' and {{ is_computed_rate }} then {{ display }}.rate_display_decimals
        when {{ basis }} = 'derived' then {{ source_decimals }} + {{ display }}.derived_extra_decimals
        else {{ source_decimals }}
    end
{%- endmacro %}

{#- A number as text the way the display rule shows it: rounded to 10^-decimals (negative decimals round
    to tens, thousands, ...), thousands separated by commas, no scientific notation ("3,281.25",
    "2,500,000"). Null when the number is. DuckDB's format and Spark's format_number differ by engine;
    any other engine gets plain digits. -#}
{% macro display_number(value, decimals) -%}
    case when {{ value }} is not null and {{ decimals }} is not null then
        {{ adapter.dispatch('display_number', 'marketwh')(value, decimals) }}
    end
{%- endmacro %}

{#- `value` rounded to 10^-decimals with plain round(x): round(x, n) takes no column as n on Spark. -#}
{% macro rounded_to_decimals(value, decimals) -%}
    round({{ value }} * power(10.0, {{ decimals }})) / power(10.0, {{ decimals }})
{%- endmacro %}

{% macro duckdb__display_number(value, decimals) -%}
    format('{:,.{}f}', {{ rounded_to_decimals(value, decimals) }}, greatest({{ decimals }}, 0))
{%- endmacro %}

{% macro spark__display_number(value, decimals) -%}
    format_number({{ rounded_to_decimals(value, decimals) }}, greatest({{ decimals }}, 0))
{%- endmacro %}

{% macro default__display_number(value, decimals) -%}
    {{ number_text(rounded_to_decimals(value, decimals)) }}
{%- endmacro %}

{#- `template` (a text expression) with each `{name}` replaced by the text expression `values[name]`;
    a null value leaves an empty place. -#}
{% macro fill_placeholders(template, values) -%}
    {%- set ns = namespace(text=template) -%}
    {%- for name, expression in values.items() -%}
        {%- set ns.text = "replace(" ~ ns.text ~ ", '{" ~ name ~ "}', coalesce(" ~ expression ~ ", ''))" -%}
    {%- endfor -%}
    {{ ns.text }}
{%- endmacro %}

{#- A number with its unit as a sentence prints it: "US$ 3.28 billion" (a currency's symbol, the first word
    of its unit's display name, before the number), "76.6 %", "720,000 metric tons"; the bare number
    when there is no unit. -#}
{% macro amount_text(number, unit_name, unit_key, currency) -%}
    case
        when {{ unit_name }} is null then {{ number }}
        when {{ unit_key }} = 'percent' then {{ dbt.concat([number, "' %'"]) }}
        when {{ currency }} is not null and {{ dbt.position("' '", unit_name) }} > 0
            then {{ dbt.concat([
                dbt.split_part(unit_name, "' '", 1), "' '", number, "' '",
                "substring(" ~ unit_name ~ ", " ~ dbt.position("' '", unit_name) ~ " + 1)",
            ]) }}
        when {{ currency }} is not null then {{ dbt.concat([unit_name, "' '", number]) }}
        else {{ dbt.concat([number, "' '", unit_name]) }}
    end
{%- endmacro %}
