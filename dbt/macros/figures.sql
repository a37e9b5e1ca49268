{#- The definitions every figure model shares, written once. -#}

{#- What a figure is about: which report states it, what it measures, of which segment and region. -#}
{% macro figure_series_columns() -%}
    {{ return(['report_id', 'metric', 'dimension', 'segment_key', 'region_key']) }}
{%- endmacro %}

{#- When a figure holds: a year for a point value, a start and end year for a rate over a period. -#}
{% macro figure_period_columns() -%}
    {{ return(['figure_year', 'period_start_year', 'period_end_year']) }}
{%- endmacro %}

{#- The columns that identify one figure of a report. Models add unit and qualifier where two figures
    differ only by them. -#}
{% macro figure_key_columns() -%}
    {{ return(figure_series_columns() + figure_period_columns()) }}
{%- endmacro %}

{#- `c1, c2, ...` of the figure key (with a table prefix when given), for select lists and group by. -#}
{% macro figure_key(prefix='') -%}
    {{ column_list(figure_key_columns(), prefix) }}
{%- endmacro %}

{#- The figure key as text, as a list of parts for dbt.concat: `report|metric|...|year|start-end`.
    A null year or period is empty text; the start and end of a period are joined by `-`. Pass other
    columns (e.g. the key without report_id, plus unit_key) to format another figure key the same way. -#}
{% macro figure_key_text_parts(prefix='', columns=none) -%}
    {%- set columns = figure_key_columns() if columns is none else columns -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set expression = (prefix ~ '.' if prefix) ~ column -%}
        {%- if not loop.first -%}
            {%- do parts.append("'-'" if column == 'period_end_year' and loop.previtem == 'period_start_year' else "'|'") -%}
        {%- endif -%}
        {%- if column in figure_period_columns() -%}
            {%- do parts.append("coalesce(" ~ as_text(expression) ~ ", '')") -%}
        {%- else -%}
            {%- do parts.append(expression) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}

{#- A figure is a forecast when its year (or the end of its period) lies after the report's base year (or, when it
    declares none, from its forecast_start_year on; null when it declares neither),
    the last year the report gives actuals for. -#}
{% macro is_forecast(year, base_year='reports.base_year', forecast_start='reports.forecast_start_year') -%}
    ({{ year }}) > coalesce({{ base_year }}, {{ forecast_start }} - 1)
{%- endmacro %}

{#- The key of a market_figures row as text: the figure key, then `|qualifier` when there is one. The
    same expression names a stated figure's row in figure_sources, so the two join on it. -#}
{% macro market_figure_id(prefix) -%}
    {{ dbt.concat(figure_key_text_parts(prefix) + [
        "case when " ~ prefix ~ ".qualifier = '' then '' else " ~ dbt.concat(["'|'", prefix ~ ".qualifier"]) ~ " end",
    ]) }}
{%- endmacro %}

{#- A printed number as reports print it (5.4, 36,889.1, 720 000): the first of `text`, or with
    which='last' the last (a range's high end). The pattern has no backslash, so DuckDB's and Spark's
    regexp_extract read it alike. -#}
{% macro printed_number_text(text, which='first') -%}
    {%- set number = '[0-9]{1,3}(?:(?:,[0-9]{3})+|(?: [0-9]{3})+)(?:[.][0-9]+)?|[0-9]+(?:[.][0-9]+)?' -%}
    {%- if which == 'last' -%}
        regexp_extract({{ text }}, '({{ number }})[^0-9]*$', 1)
    {%- else -%}
        regexp_extract({{ text }}, '({{ number }})', 1)
    {%- endif -%}
{%- endmacro %}

{#- Half the printed number's last digit, in the unit of `value`: |value| / number * 0.5 * 10^-decimals
    ("0.54": 0.005; "70": 0.5; "US$ 3081.66 million" entered as usd_bn: 0.000005), whatever the scale
    words. value / number comes first, so a value entered as printed keeps an exact half step. -#}
{% macro printed_half_step(value, text, which='first') -%}
    {%- set number = printed_number_text(text, which) -%}
    (abs({{ value }}) / nullif(cast(replace(replace({{ number }}, ',', ''), ' ', '') as {{ type_double() }}), 0)
        * 0.5 * power(10.0, -1 * length(regexp_extract({{ number }}, '[.]([0-9]+)$', 1))))
{%- endmacro %}

{#- The interval a stated figure stands for (value_low or value_high, by `bound`), in the unit of
    `value`: the printed precision of value_as_published (a range: its low end's and its high end's),
    widened by the qualifier's widening_pct of the number on the qualifier's side (seeds/qualifiers.csv);
    null on a side the qualifier leaves open ("more than": no upper bound). -#}
{% macro figure_interval(bound, value, range_high, published, side, widening_pct) -%}
    {%- if bound == 'low' -%}
    case
        when {{ side }} = 'below' and {{ widening_pct }} is null then null
        else {{ value }} - {{ printed_half_step(value, published) }}
            - case when {{ side }} in ('both', 'below') then abs({{ value }}) * {{ widening_pct }} / 100 else 0 end
    end
    {%- else -%}
    case
        when {{ side }} = 'above' and {{ widening_pct }} is null then null
        when {{ range_high }} is not null
            then {{ range_high }} + {{ printed_half_step(range_high, published, 'last') }}
                + case when {{ side }} in ('both', 'above') then abs({{ range_high }}) * {{ widening_pct }} / 100 else 0 end
        else {{ value }} + {{ printed_half_step(value, published) }}
            + case when {{ side }} in ('both', 'above') then abs({{ value }}) * {{ widening_pct }} / 100 else 0 end
    end
    {%- endif -%}
{%- endmacro %}

{#- v0 * (v1 / v0) ^ (n / years): geometric (constant-growth) interpolation n years into a span of
    `years`; null when an end is null (an open bound stays open). -#}
{% macro geometric_interpolation(start, end, n, years) -%}
    {{ start }} * power(
        {{ end }} / nullif({{ start }}, 0),
        cast({{ n }} as {{ type_double() }}) / ({{ years }})
    )
{%- endmacro %}
