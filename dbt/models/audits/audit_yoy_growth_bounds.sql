{#- One row per year-on-year growth figure (stated or derived) with a value: it must lie between
    yoy_growth_min and yoy_growth_max percent. -#}
{% set columns = ['report_id', 'figure_id', 'figure_year', 'value', 'source_figure_ids'] %}

with

growth as (

    select
        report_id,
        market_figure_id as figure_id,
        figure_year,
        value,
        source_figure_ids
    from {{ ref('market_figures') }}
    where metric_kind = 'growth'
        and value is not null

),

thresholds as (

    {{ audit_thresholds(['yoy_growth_min', 'yoy_growth_max']) }}

),

checked as (

    select
        {{ column_list(columns, 'growth') }},
        'yoy_growth_within_bounds' as rule,
        growth.value >= thresholds.yoy_growth_min and growth.value <= thresholds.yoy_growth_max as holds,
        growth.value as stated_value,
        cast(null as {{ type_double() }}) as compared_value,
        cast(null as {{ type_double() }}) as tolerance,
        thresholds.yoy_growth_min as lower_bound,
        thresholds.yoy_growth_max as upper_bound,
        {{ finding_details([
            ('report_id', 'growth.report_id', false), ('figure_id', 'growth.figure_id', false),
            ('source_figure_ids', 'growth.source_figure_ids', false), ('value', 'growth.value', true),
        ]) }} as details
    from growth
    cross join thresholds

),

final as (

    {{ audit_verdict('checked', columns, ['figure_id']) }}

)

select * from final
