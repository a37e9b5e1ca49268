-- What the publishers say together: one row per market, metric, dimension, segment, geography, year
-- and unit, with the number of publishers, mean, median, low and high (and who holds each), the spread
-- (sample standard deviation, coefficient of variation), the age of the oldest and newest estimate and
-- how many are forecasts. Each report series counts once, through its current (newest) edition. Only
-- comparable estimates enter: the same market, geography and unit (US$ million and billion are one unit
-- once normalized; an estimate in another currency enters converted at a curated rate of its year, as
-- a derived estimate naming the rate, else not at all); what stays out of a row, and why, is
-- market_consensus_excluded. An outlier (audits.audit_outlier_vs_consensus) still counts, shown
-- in outlier_report_ids, until a person acknowledges it as the publisher's error.
{% set key = consensus_key() %}

with

estimates as (

    select * from {{ ref('int_consensus_estimates') }}

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

),

outliers as (

    select * from {{ ref('audit_outlier_vs_consensus') }}
    where not holds

),

-- the consensus is as of the newest publication in the warehouse: the day the latest edition took over
as_of as (

    select max(current_from) as as_of_date from editions

),

members as (

    select
        estimates.*,
        as_of.as_of_date

    from estimates
    cross join as_of
    where estimates.is_current_edition
        and estimates.acknowledged_error_finding_key is null

),

statistics as (

    {{ consensus_statistics('members', key + ['as_of_date']) }}

),

-- the counted estimates that are open outlier findings (an acknowledged one no longer counts)
outlier_lists as (

    select
        {{ column_list(key, 'members') }},
        {{ dbt.listagg("members.report_id", "','", "order by members.report_id") }} as outlier_report_ids

    from members
    inner join outliers
        on {{ join_on('members', 'outliers', key) }}
        and members.report_id = outliers.report_id
    group by
        {{ column_list(key, 'members') }}

),

final as (

    select
        {{ column_list(key, 'statistics') }},
        statistics.market_name,
        statistics.metric_name,
        statistics.region_name,
        statistics.unit_name,
        statistics.quantity,
        statistics.currency,
        {{ year_start('statistics.figure_year') }} as figure_date,
        statistics.publisher_count,
        statistics.reported_count,
        statistics.derived_count,
        statistics.forecast_count,
        statistics.mean_value,
        statistics.median_value,
        statistics.low_value,
        statistics.low_held_by,
        statistics.high_value,
        statistics.high_held_by,
        statistics.high_value - statistics.low_value as value_range,
        statistics.stddev_value,
        statistics.coefficient_of_variation_pct,
        statistics.report_ids,
        statistics.estimates,
        outlier_lists.outlier_report_ids,
        statistics.as_of_date,
        statistics.oldest_estimate_on,
        statistics.newest_estimate_on,
        cast({{ dbt.datediff(
            'statistics.oldest_estimate_on', 'statistics.as_of_date', 'day'
        ) }} as integer) as oldest_estimate_age_days,
        cast({{ dbt.datediff(
            'statistics.newest_estimate_on', 'statistics.as_of_date', 'day'
        ) }} as integer) as newest_estimate_age_days,
        statistics.estimate_dates_from,
        statistics.undated_count,
        statistics.value_decimals

    from statistics
    left join outlier_lists
        on {{ join_on('statistics', 'outlier_lists', key) }}

)

select * from final
