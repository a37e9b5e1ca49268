{#- One row per figure key a report states (report, metric, segment, region, year or period, unit): the
    quotes of one document agree on its value. Two quotes stating different values (Business Research
    Insights prints 2024 as USD 3.28 billion and as USD 3281.25 billion) are the publisher's
    contradiction: a finding with both values and both quotes, never repaired. The figure is served by
    no value mart (int_figures_deduplicated leaves it out): showing one of the two would be the
    warehouse's choice, showing both would put two market sizes on one year. The validator refuses the
    same quote entered with two values (a curator's slip), so every row here is the document's. -#}
{% set columns = [
    'report_id', 'figure_id', 'metric', 'dimension', 'segment_key', 'region_key', 'figure_year',
    'period_start_year', 'period_end_year', 'unit_key', 'lowest_value', 'highest_value', 'values_as_published',
    'quotes',
] %}
{#- a figure's printed value and its quote as the finding shows them: one figure's own, or joined in order -#}
{% set published_text = dbt.concat(["figure_id", "' '", "value_as_published"]) %}
{% set quote_text = dbt.concat(["figure_id", "': '", "quote"]) %}

with

figures as (

    select * from {{ ref('int_figures_normalized') }}
    -- the report's own figures: estimates it cites from other publishers (of their own dates: BNEF's
    -- forecasts of March and of a year before) are theirs, served in marts.cited_estimates
    where cited_publisher is null

),

-- a key stated by one figure (nearly all of them) is that figure: its strings are its own, not an
-- ordered aggregate (at 10,000 reports the three ordered aggregates of every key took 19 s, 3.7 s so)
counted as (

    select
        *,
        count(*) over (partition by {{ figure_key() }}, unit_key) as figures_of_key
    from figures

),

keyed as (

    select
        {{ figure_key() }},
        unit_key,
        value as lowest_value,
        value as highest_value,
        figure_id,
        {{ published_text }} as values_as_published,
        {{ quote_text }} as quotes
    from counted
    where figures_of_key = 1

    union all

    select
        {{ figure_key() }},
        unit_key,
        min(value) as lowest_value,
        max(value) as highest_value,
        {{ dbt.listagg("figure_id", "','", "order by figure_id") }} as figure_id,
        {{ dbt.listagg(published_text, "'; '", "order by figure_id") }} as values_as_published,
        {{ dbt.listagg(quote_text, "' | '", "order by figure_id") }} as quotes
    from counted
    where figures_of_key > 1
    group by
        {{ figure_key() }},
        unit_key

),

checked as (

    select
        {{ column_list(columns) }},
        'one_value_per_figure' as rule,
        -- the same tolerance of unit conversion noise int_figures_deduplicated groups restatements by
        abs(highest_value - lowest_value) <= 1e-9 * greatest(abs(highest_value), 1) as holds,
        lowest_value as stated_value,
        highest_value as compared_value,
        cast(null as {{ type_double() }}) as tolerance,
        cast(null as {{ type_double() }}) as lower_bound,
        cast(null as {{ type_double() }}) as upper_bound,
        {{ finding_details([
            ('report_id', 'report_id', false), ('figure_id', 'figure_id', false), ('metric', 'metric', false),
            ('segment_key', 'segment_key', false), ('region_key', 'region_key', false),
            ('figure_year', 'figure_year', true), ('unit_key', 'unit_key', false),
            ('lowest_value', 'lowest_value', true), ('highest_value', 'highest_value', true),
            ('values_as_published', 'values_as_published', false), ('quotes', 'quotes', false),
        ]) }} as details
    from keyed

),

final as (

    {{ audit_verdict('checked', columns, ['figure_id'], {
        'metric': 'metric', 'dimension': 'dimension', 'segment_key': 'segment_key', 'region_key': 'region_key',
        'year': 'figure_year', 'unit_key': 'unit_key', 'stated_figure_ids': 'figure_id', 'compared_figure_ids': 'figure_id',
    }) }}

)

select * from final
