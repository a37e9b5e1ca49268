-- Two implied rates are shown because reports often name a window that is not the span of their
-- values: 24chemicalresearch states 13.4 % for "2025-2032" (7 compounding years) while its values
-- run 2024 -> 2032 (8 compounding years). A segment's values may be derived from its reported
-- shares and the reported totals (QY: silicon 1.2 % of 3.2 bn in 2020 -> 10.1 % of 14.1 bn in 2027
-- implies about 67.6 % a year against a stated 76.6 %); such rows say so in `implied_basis` and are
-- judged with the advisory segment_growth_tolerance.
{% set series_key = figure_series_columns() + ['unit_key'] %}

with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

thresholds as (

    select * from {{ ref('stg_reports__audit_thresholds') }}

),

cagr_tolerance as (

    select threshold from thresholds
    where rule = 'cagr_tolerance'

),

segment_growth_tolerance as (

    select threshold from thresholds
    where rule = 'segment_growth_tolerance'

),

splits as (

    select * from {{ ref('int_segment_splits') }}

),

reported_values as (

    select
        {{ column_list(series_key) }},
        figure_year,
        value,
        source_figure_ids,
        'reported' as basis
    from figures
    where quantity in ('money', 'volume')
        and figure_year is not null

    union all

    -- a segment value derived only from reported numbers: reported share x reported total
    select
        report_id,
        total_metric as metric,
        dimension,
        segment_key,
        region_key,
        total_unit as unit_key,
        market_year as figure_year,
        segment_value as value,
        source_figure_ids,
        'derived' as basis
    from splits
    where segment_value_basis = 'derived'
        and share_basis = 'reported'
        and total_basis = 'reported'

),

value_spans as (

    select
        {{ column_list(series_key) }},
        min(figure_year) as value_start_year,
        max(figure_year) as value_end_year,
        count(*) as reported_value_count,
        case when sum(case when basis = 'derived' then 1 else 0 end) = 0 then 'reported' else 'derived' end as implied_basis

    from reported_values
    group by
        {{ column_list(series_key) }}

),

value_endpoints as (

    select
        value_spans.*,
        start_values.value as value_start,
        end_values.value as value_end,
        {{ dbt.concat(["start_values.source_figure_ids", "','", "end_values.source_figure_ids"]) }} as value_figure_ids

    from value_spans
    inner join reported_values as start_values
        on {{ join_on('value_spans', 'start_values', series_key) }}
        and value_spans.value_start_year = start_values.figure_year
    inner join reported_values as end_values
        on {{ join_on('value_spans', 'end_values', series_key) }}
        and value_spans.value_end_year = end_values.figure_year
    where value_spans.reported_value_count >= 2

),

stated as (

    select
        report_id,
        dimension,
        segment_key,
        region_key,
        value as stated_cagr_pct,
        qualifier as stated_qualifier,
        period_start_year as stated_period_start_year,
        period_end_year as stated_period_end_year,
        source_figure_ids as stated_figure_ids

    from figures
    where metric = 'cagr'

),

matched as (

    select
        coalesce(stated.report_id, value_endpoints.report_id) as report_id,
        value_endpoints.metric as value_metric,
        coalesce(stated.dimension, value_endpoints.dimension) as dimension,
        coalesce(stated.segment_key, value_endpoints.segment_key) as segment_key,
        coalesce(stated.region_key, value_endpoints.region_key) as region_key,
        stated.stated_cagr_pct,
        stated.stated_qualifier,
        stated.stated_period_start_year,
        stated.stated_period_end_year,
        stated.stated_period_end_year - stated.stated_period_start_year as stated_compounding_years,
        value_endpoints.value_start_year,
        value_endpoints.value_end_year,
        value_endpoints.value_end_year - value_endpoints.value_start_year as value_compounding_years,
        value_endpoints.value_start,
        value_endpoints.value_end,
        value_endpoints.unit_key as value_unit,
        value_endpoints.implied_basis,
        stated.stated_figure_ids,
        value_endpoints.value_figure_ids

    from stated
    full outer join value_endpoints
        on stated.report_id = value_endpoints.report_id
        and stated.dimension = value_endpoints.dimension
        and stated.segment_key = value_endpoints.segment_key
        and stated.region_key = value_endpoints.region_key
        -- a stated rate is checked against values that bracket its own period
        and stated.stated_period_start_year >= value_endpoints.value_start_year
        and stated.stated_period_end_year <= value_endpoints.value_end_year

),

implied as (

    select
        matched.*,
        {{ cagr_pct('value_start', 'value_end', 'value_compounding_years') }} as implied_cagr_pct,
        {{ cagr_pct('value_start', 'value_end', 'stated_compounding_years') }} as implied_cagr_over_stated_period_pct

    from matched

),

final as (

    select
        implied.*,
        implied.stated_cagr_pct - implied.implied_cagr_pct as difference_pp,
        case when implied.implied_basis = 'derived' then segment_tolerance.threshold else tolerance.threshold end as tolerance_pp,
        case
            when implied.stated_cagr_pct is null or implied.implied_cagr_pct is null then null
            when implied.implied_basis = 'derived'
                then abs(implied.stated_cagr_pct - implied.implied_cagr_pct) <= segment_tolerance.threshold
            else abs(implied.stated_cagr_pct - implied.implied_cagr_pct) <= tolerance.threshold
        end as agrees_within_tolerance,
        case
            when implied.stated_cagr_pct is null and implied.implied_basis = 'derived'
                then 'no CAGR stated: implied rate only, from reported shares x reported totals'
            when implied.stated_cagr_pct is null
                then 'no CAGR stated: implied rate only'
            when implied.implied_cagr_pct is null
                then 'no reported start and end values bracket the stated period: stated rate only'
            when implied.stated_compounding_years = implied.value_compounding_years and implied.implied_basis = 'derived'
                then 'stated period and value span coincide; the values are reported shares x reported totals'
            when implied.stated_compounding_years = implied.value_compounding_years
                then 'stated period and value span coincide'
            else {{ dbt.concat([
                "'stated period '",
                as_text("implied.stated_period_start_year"),
                "'-'",
                as_text("implied.stated_period_end_year"),
                "' has '",
                as_text("implied.stated_compounding_years"),
                "' compounding years; reported values span '",
                as_text("implied.value_start_year"),
                "'->'",
                as_text("implied.value_end_year"),
                "' ('",
                as_text("implied.value_compounding_years"),
                "' compounding years); implied_cagr_pct uses the value span'",
            ]) }}
        end as span_note

    from implied
    cross join cagr_tolerance as tolerance
    cross join segment_growth_tolerance as segment_tolerance

)

select * from final
