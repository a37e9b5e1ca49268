with

compared as (

    select * from {{ ref('int_cagr_compared') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

final as (

    select
        compared.report_id,
        reports.report_title,
        compared.metric_series,
        compared.stated_metric,
        compared.value_metric,
        compared.dimension,
        compared.segment_key,
        compared.region_key,
        compared.stated_cagr_pct,
        compared.stated_qualifier,
        compared.stated_period_start_year,
        compared.stated_period_end_year,
        compared.stated_compounding_years,
        compared.value_start_year,
        compared.value_end_year,
        compared.value_compounding_years,
        compared.value_start,
        compared.value_end,
        compared.value_unit,
        compared.implied_basis,
        compared.implied_cagr_pct,
        compared.implied_cagr_over_stated_period_pct,
        compared.difference_pp,
        compared.tolerance_pp,
        compared.agrees_within_tolerance,
        compared.span_note,
        compared.fall_start_year,
        compared.fall_end_year,
        compared.fall_pct,
        compared.fall_figure_ids,
        compared.stated_figure_ids,
        compared.value_figure_ids

    from compared
    inner join reports
        on compared.report_id = reports.report_id

)

{{ select_with_market() }}
