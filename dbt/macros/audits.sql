{#- How an audit view (dbt/models/audits) states its verdict, written once for every rule family.

    Each family view selects the rows its rules apply to as a CTE with, per row: `rule` (a rule of
    audit_rules), `report_id`, the columns naming what the row is about, `holds`, `stated_value`,
    `compared_value`, `tolerance`, `lower_bound`, `upper_bound` and `details` (the row in words).
    `audit_verdict` adds the rule's severity, the finding key and the message. -#}

{#- One row with one column per named threshold of seeds/audit_thresholds.csv (null when the seed
    lacks it: then `holds` is null and the not_null test on audit_verdicts.holds stops the build,
    instead of a rule passing because its bound is missing). -#}
{% macro audit_thresholds(names) -%}
    select
        {%- for name in names %}
        max(case when rule = '{{ name }}' then threshold end) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_reports__audit_thresholds') }}
{%- endmacro %}

{#- `label=value` for a finding's message: numbers as number_text prints them, null as null. -#}
{% macro finding_detail(label, expression, is_number=false) -%}
    {%- set text = number_text(expression) if is_number else as_text(expression) -%}
    {{ dbt.concat(["'" ~ label ~ "='", "coalesce(" ~ text ~ ", 'null')"]) }}
{%- endmacro %}

{#- The details of a row: `label=value, label=value` of (label, expression, is_number) triples. -#}
{% macro finding_details(items) -%}
    {%- set parts = [] -%}
    {%- for label, expression, is_number in items -%}
        {%- do parts.append(finding_detail(label, expression, is_number)) -%}
        {%- if not loop.last %}{% do parts.append("', '") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}

{#- The stable key a person acknowledges a finding by: <rule>:<report_id, or all>:<subject>, the
    subject being the non-null `subject_columns` joined by '/' ('whole table' when all are null); a list
    of figure ids (a figure stated twice: 'mgr-003,mgr-006') is joined by '/' too, so every part is an
    identifier. Acknowledgements in seeds/finding_acknowledgements.csv name findings by it: never change it. -#}
{% macro finding_subject(subject_columns, prefix) -%}
    coalesce(nullif(concat_ws('/'
        {%- for column in subject_columns -%}
        , replace({{ as_text(prefix ~ '.' ~ column) }}, ',', '/')
        {%- endfor -%}
    ), ''), 'whole table')
{%- endmacro %}

{#- The words a finding's sentence is written with (report_findings.finding_text), as columns of every
    audit view: what the row is about (metric, dimension, segment, region, year, unit) and the decimals
    its two numbers are shown with. -#}
{% macro finding_word_columns() -%}
    {{ return([
        ('metric', 'text'), ('dimension', 'text'), ('segment_key', 'text'), ('region_key', 'text'),
        ('year', 'integer'), ('unit_key', 'text'),
    ]) }}
{%- endmacro %}

{#- The final select of an audit view: the family's own `columns`, then the verdict of each row of
    the CTE `checked`, with its rule's severity (audit_rules), finding key and message, then the words
    of its finding: `words` maps finding_word_columns() to columns of `checked` (null when not given),
    and says how stated_value and compared_value are shown: `stated_figure_ids` (a column holding the
    figure ids the value was printed as: shown with their coarsest printed decimals) or
    `stated_decimals` (an expression), the same for `compared_`; neither: null (the reader's default). -#}
{% macro audit_verdict(checked, columns, subject_columns, words={}) -%}
    {%- set sides = [] -%}
    {%- for side in ['stated', 'compared'] if (side ~ '_figure_ids') in words -%}
        {%- do sides.append(side) -%}
    {%- endfor -%}
    select
        {{ column_list(columns, checked) }},
        {{ checked }}.rule,
        {{ finding_subject(subject_columns, checked) }} as subject,
        rules.severity,
        {{ checked }}.holds,
        cast({{ checked }}.stated_value as {{ type_double() }}) as stated_value,
        cast({{ checked }}.compared_value as {{ type_double() }}) as compared_value,
        cast({{ checked }}.tolerance as {{ type_double() }}) as tolerance,
        cast({{ checked }}.lower_bound as {{ type_double() }}) as lower_bound,
        cast({{ checked }}.upper_bound as {{ type_double() }}) as upper_bound,
        {{ dbt.concat([
            checked ~ ".rule",
            "':'",
            "coalesce(nullif(" ~ checked ~ ".report_id, ''), 'all')",
            "':'",
            finding_subject(subject_columns, checked),
        ]) }} as finding_key,
        {{ dbt.concat(["'['", checked ~ ".rule", "'] '", "rules.rule_sentence", "': '", checked ~ ".details"]) }} as message,
        {%- for word, type in finding_word_columns() %}
        {%- set expression = checked ~ '.' ~ words[word] if word in words else 'null' %}
        {{ as_text(expression) if type == 'text' else 'cast(' ~ expression ~ ' as integer)' }} as finding_{{ word }},
        {%- endfor %}
        {%- for side in ['stated', 'compared'] %}
        cast({{ side ~ '_figure_decimals.source_decimals' if side in sides else words.get(side ~ '_decimals', 'null') }} as integer)
            as {{ side }}_decimals{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ checked }}
    inner join {{ ref('audit_rules') }} as rules
        on {{ checked }}.rule = rules.rule
    {%- for side in sides %}
    left join ({{ coarsest_source_decimals(checked, words[side ~ '_figure_ids']) }}) as {{ side }}_figure_decimals
        on {{ checked }}.{{ words[side ~ '_figure_ids'] }} = {{ side }}_figure_decimals.source_figure_ids
    {%- endfor %}
{%- endmacro %}

{#- An audit that each market figure of `metric_kind` with a value lies between the thresholds `lower`
    and `upper` of seeds/audit_thresholds.csv, as the view of `rule` (audit_cagr_bounds,
    audit_yoy_growth_bounds): one row per figure. `columns` are the figure's columns the verdict
    carries (report_id, figure_id, value, source_figure_ids and the family's own), `detail_columns`
    the family's own columns its findings name between the figure and its sources. -#}
{% macro bounds_audit(rule, metric_kind, lower, upper, columns, detail_columns=[]) -%}
    {%- set own = ['report_id', 'figure_id', 'value', 'source_figure_ids'] -%}
    {%- set details = [('report_id', 'figures.report_id', false), ('figure_id', 'figures.figure_id', false)] -%}
    {%- for column in detail_columns -%}
        {%- do details.append((column, 'figures.' ~ column, false)) -%}
    {%- endfor -%}
    {%- do details.append(('source_figure_ids', 'figures.source_figure_ids', false)) -%}
    {%- do details.append(('value', 'figures.value', true)) -%}
with

figures as (

    select
        report_id,
        market_figure_id as figure_id,
        {%- for column in columns if column not in own %}
        {{ column }},
        {%- endfor %}
        value,
        source_figure_ids,
        -- the words of a finding (audit_verdict)
        metric as word_metric,
        dimension as word_dimension,
        segment_key as word_segment_key,
        region_key as word_region_key,
        coalesce(figure_year, period_end_year) as word_year,
        value_decimals as word_decimals
    from {{ ref('market_figures') }}
    where metric_kind = '{{ metric_kind }}'
        and value is not null

),

thresholds as (

    {{ audit_thresholds([lower, upper]) }}

),

checked as (

    select
        {{ column_list(columns, 'figures') }},
        '{{ rule }}' as rule,
        figures.value >= thresholds.{{ lower }} and figures.value <= thresholds.{{ upper }} as holds,
        figures.value as stated_value,
        cast(null as {{ type_double() }}) as compared_value,
        cast(null as {{ type_double() }}) as tolerance,
        thresholds.{{ lower }} as lower_bound,
        thresholds.{{ upper }} as upper_bound,
        {{ finding_details(details) }} as details,
        figures.word_metric,
        figures.word_dimension,
        figures.word_segment_key,
        figures.word_region_key,
        figures.word_year,
        figures.word_decimals
    from figures
    cross join thresholds

),

final as (

    {{ audit_verdict('checked', columns, ['figure_id'], {
        'metric': 'word_metric', 'dimension': 'word_dimension', 'segment_key': 'word_segment_key',
        'region_key': 'word_region_key', 'year': 'word_year', 'stated_decimals': 'checked.word_decimals',
    }) }}

)

select * from final
{%- endmacro %}

{#- An interval as text for a finding's message, `low..high` rounded as number_text rounds; an open
    bound (null) is `open`. -#}
{% macro interval_text(low, high) -%}
    {{ dbt.concat([
        "coalesce(" ~ number_text(low) ~ ", 'open')",
        "'..'",
        "coalesce(" ~ number_text(high) ~ ", 'open')",
    ]) }}
{%- endmacro %}
