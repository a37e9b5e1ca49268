{#- One row per positive stated growth rate (cagr_check): the report's own consecutive reported values of
    that series must not fall at or inside the stated period. cagr_check shows the largest such fall
    (`fall_*`); a fall is the report contradicting itself, shown with both numbers. -#}
{% set columns = [
    'report_id', 'figure_id', 'metric_series', 'dimension', 'segment_key', 'stated_cagr_pct', 'stated_period_start_year',
    'stated_period_end_year', 'fall_start_year', 'fall_end_year', 'fall_pct', 'fall_figure_ids', 'value_unit',
] %}

with

stated_growth as (

    select
        report_id,
        stated_figure_ids as figure_id,
        metric_series,
        dimension,
        segment_key,
        stated_cagr_pct,
        stated_period_start_year,
        stated_period_end_year,
        fall_start_year,
        fall_end_year,
        fall_pct,
        fall_figure_ids,
        value_unit
    from {{ ref('cagr_check') }}
    where stated_cagr_pct > 0

),

checked as (

    select
        {{ column_list(columns) }},
        'stated_growth_not_contradicted_by_values' as rule,
        fall_pct is null as holds,
        stated_cagr_pct as stated_value,
        fall_pct as compared_value,
        cast(null as {{ type_double() }}) as tolerance,
        cast(null as {{ type_double() }}) as lower_bound,
        cast(null as {{ type_double() }}) as upper_bound,
        {{ finding_details([
            ('report_id', 'report_id', false), ('figure_id', 'figure_id', false), ('segment_key', 'segment_key', false),
            ('stated_cagr_pct', 'stated_cagr_pct', true), ('stated_period_start_year', 'stated_period_start_year', true),
            ('stated_period_end_year', 'stated_period_end_year', true), ('fall_start_year', 'fall_start_year', true),
            ('fall_end_year', 'fall_end_year', true), ('fall_pct', 'fall_pct', true), ('fall_figure_ids', 'fall_figure_ids', false),
        ]) }} as details
    from stated_growth

),

final as (

    {{ audit_verdict('checked', columns, ['figure_id'], {
        'dimension': 'dimension', 'segment_key': 'segment_key', 'year': 'fall_end_year', 'unit_key': 'value_unit',
        'stated_figure_ids': 'figure_id',
    }) }}

)

select * from final
