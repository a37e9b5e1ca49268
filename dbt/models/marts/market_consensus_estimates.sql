-- The estimates a consensus counts, one row each: per market_consensus key (market, metric, dimension,
-- segment, geography, year and unit), each report series once through its current edition, without the
-- estimates a person acknowledged as the publisher's error; an estimate in another currency is here as its
-- conversion, naming the rate and the document that prints it. What market_consensus summarises, row by row:
-- the points of a consensus chart.
{% set key = consensus_key() %}

with

estimates as (

    select * from {{ ref('int_consensus_estimates') }}
    where {{ changed_markets_condition() }}

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

),

final as (

    select
        {{ column_list(key, 'estimates') }},
        estimates.market_name,
        estimates.metric_name,
        estimates.region_name,
        estimates.unit_name,
        estimates.report_id,
        editions.report_label,
        estimates.publisher_label,
        estimates.series_id,
        estimates.value,
        estimates.qualifier,
        estimates.value_low,
        estimates.value_high,
        estimates.value_kind,
        estimates.is_forecast,
        estimates.estimate_vintage,
        estimates.value_decimals,
        estimates.conversion_note,
        estimates.exchange_rate_id,
        estimates.converted_from_unit_key

    from estimates
    inner join editions
        on estimates.report_id = editions.report_id
    where estimates.is_current_edition
        and estimates.acknowledged_error_finding_key is null

)

select * from final
