{#- One row per stated growth rate that can be compared with the rate the report's own values imply
    (cagr_check), with both as intervals (stated_cagr_low_pct..high, implied_cagr_low_pct..high: printed
    precision widened by qualifiers): the verdict is cagr_check's `agrees_within_tolerance`, judged once in
    int_cagr_compared with cagr_tolerance (reported values: blocking) or segment_growth_tolerance
    (segment values derived from reported shares x reported totals: advisory). Nothing is judged
    again here. -#}
{% set columns = [
    'report_id', 'figure_id', 'dimension', 'segment_key', 'stated_cagr_pct', 'implied_cagr_pct', 'value_start',
    'value_end', 'value_start_year', 'value_end_year', 'value_unit', 'implied_basis', 'difference_pp',
    'stated_cagr_low_pct', 'stated_cagr_high_pct', 'implied_cagr_low_pct', 'implied_cagr_high_pct', 'interval_gap_pp',
] %}

with

compared as (

    select
        report_id,
        stated_figure_ids as figure_id,
        dimension,
        segment_key,
        stated_cagr_pct,
        implied_cagr_pct,
        value_start,
        value_end,
        value_start_year,
        value_end_year,
        value_unit,
        implied_basis,
        difference_pp,
        tolerance_pp,
        agrees_within_tolerance,
        stated_cagr_low_pct,
        stated_cagr_high_pct,
        implied_cagr_low_pct,
        implied_cagr_high_pct,
        interval_gap_pp
    from {{ ref('cagr_check') }}
    where agrees_within_tolerance is not null

),

checked as (

    select
        {{ column_list(columns) }},
        case
            when implied_basis = 'derived' then 'segment_growth_matches_shares' else 'stated_cagr_matches_implied'
        end as rule,
        agrees_within_tolerance as holds,
        stated_cagr_pct as stated_value,
        implied_cagr_pct as compared_value,
        tolerance_pp as tolerance,
        cast(null as {{ type_double() }}) as lower_bound,
        cast(null as {{ type_double() }}) as upper_bound,
        {{ finding_details([
            ('report_id', 'report_id', false), ('figure_id', 'figure_id', false), ('segment_key', 'segment_key', false),
            ('stated_cagr_pct', 'stated_cagr_pct', true), ('implied_cagr_pct', 'implied_cagr_pct', true),
            ('difference_pp', 'difference_pp', true), ('tolerance_pp', 'tolerance_pp', true),
            ('value_start', 'value_start', true), ('value_end', 'value_end', true),
            ('value_start_year', 'value_start_year', true), ('value_end_year', 'value_end_year', true),
            ('value_unit', 'value_unit', false),
            ('stated_interval_pct', interval_text('stated_cagr_low_pct', 'stated_cagr_high_pct'), false),
            ('implied_interval_pct', interval_text('implied_cagr_low_pct', 'implied_cagr_high_pct'), false),
            ('interval_gap_pp', 'interval_gap_pp', true),
        ]) }} as details
    from compared

),

final as (

    {{ audit_verdict('checked', columns, ['figure_id'], {
        'dimension': 'dimension', 'segment_key': 'segment_key', 'year': 'value_end_year', 'unit_key': 'value_unit',
        'stated_figure_ids': 'figure_id',
    }) }}

)

select * from final
