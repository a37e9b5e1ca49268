{#- One row per stated or implied CAGR with a value: it must lie between cagr_min and cagr_max percent. -#}
{% set columns = ['report_id', 'figure_id', 'metric', 'value', 'source_figure_ids'] %}

with

rates as (

    select
        report_id,
        market_figure_id as figure_id,
        metric,
        value,
        source_figure_ids
    from {{ ref('market_figures') }}
    where metric_kind = 'rate'
        and value is not null

),

thresholds as (

    {{ audit_thresholds(['cagr_min', 'cagr_max']) }}

),

checked as (

    select
        {{ column_list(columns, 'rates') }},
        'cagr_within_bounds' as rule,
        rates.value >= thresholds.cagr_min and rates.value <= thresholds.cagr_max as holds,
        rates.value as stated_value,
        cast(null as {{ type_double() }}) as compared_value,
        cast(null as {{ type_double() }}) as tolerance,
        thresholds.cagr_min as lower_bound,
        thresholds.cagr_max as upper_bound,
        {{ finding_details([
            ('report_id', 'rates.report_id', false), ('figure_id', 'rates.figure_id', false), ('metric', 'rates.metric', false),
            ('source_figure_ids', 'rates.source_figure_ids', false), ('value', 'rates.value', true),
        ]) }} as details
    from rates
    cross join thresholds

),

final as (

    {{ audit_verdict('checked', columns, ['figure_id']) }}

)

select * from final
