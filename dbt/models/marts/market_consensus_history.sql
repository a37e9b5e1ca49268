-- The consensus as it stood as of each publication date in the warehouse: one row per market, metric,
-- dimension, segment, geography, year and unit and each date on which an edition took over that changed
-- what the consensus of that key counts (a new series, or a new edition replacing its predecessor). As of
-- a date, each series counts once through the edition current then (int_report_editions_ordered:
-- current_from .. current_until), with the rules of market_consensus (an estimate acknowledged as the
-- publisher's error never counts). Each row says which report moved it (published that date) and by how
-- much the median and mean changed from the key's previous row. An edition whose document prints no
-- publication date has no place in time: it counts in market_consensus, in no row here.
{% set key = consensus_key() %}

with

estimates as (

    select * from {{ ref('int_consensus_estimates') }}
    where acknowledged_error_finding_key is null
        and current_from is not null
        and {{ changed_markets_condition() }}

),

-- the dates a key's estimates change: an edition's estimate enters, or leaves for its successor
events as (

    select distinct
        {{ column_list(key) }},
        current_from as as_of_date
    from estimates
    union
    select distinct
        {{ column_list(key) }},
        current_until as as_of_date
    from estimates
    where current_until is not null

),

members as (

    select
        events.as_of_date,
        estimates.*

    from events
    inner join estimates
        on {{ join_on('events', 'estimates', key) }}
        and events.as_of_date >= estimates.current_from
        and (estimates.current_until is null or events.as_of_date < estimates.current_until)

),

statistics as (

    {{ consensus_statistics('members', key + ['as_of_date']) }}

),

-- the report that moved a key on a date: the edition whose estimate entered, or the newer edition that
-- took its predecessor's estimate out
movers as (

    select distinct
        {{ column_list(key) }},
        current_from as as_of_date,
        report_id,
        publisher_label
    from estimates
    union
    select distinct
        {{ column_list(key, 'estimates') }},
        estimates.current_until as as_of_date,
        newer.report_id,
        newer.publisher_label
    from estimates
    inner join {{ ref('int_report_editions_ordered') }} as editions
        on estimates.report_id = editions.report_id
    inner join {{ ref('stg_reports__reports') }} as newer
        on editions.superseded_by_report_id = newer.report_id
    where estimates.current_until is not null

),

mover_lists as (

    select
        {{ column_list(key) }},
        as_of_date,
        {{ dbt.listagg("report_id", "','", "order by report_id") }} as moved_by_report_ids,
        {{ dbt.listagg("publisher_label", "', '", "order by report_id") }} as moved_by_publishers

    from movers
    group by
        {{ column_list(key) }},
        as_of_date

),

sequenced as (

    select
        statistics.*,
        lag(statistics.median_value) over (partition by {{ column_list(key, 'statistics') }} order by statistics.as_of_date)
            as previous_median_value,
        lag(statistics.mean_value) over (partition by {{ column_list(key, 'statistics') }} order by statistics.as_of_date)
            as previous_mean_value,
        lag(statistics.publisher_count) over (partition by {{ column_list(key, 'statistics') }} order by statistics.as_of_date)
            as previous_publisher_count

    from statistics

),

final as (

    select
        {{ column_list(key, 'sequenced') }},
        sequenced.as_of_date,
        sequenced.market_name,
        sequenced.metric_name,
        sequenced.region_name,
        sequenced.unit_name,
        {{ year_start('sequenced.figure_year') }} as figure_date,
        mover_lists.moved_by_report_ids,
        mover_lists.moved_by_publishers,
        sequenced.publisher_count,
        sequenced.previous_publisher_count,
        sequenced.reported_count,
        sequenced.derived_count,
        sequenced.forecast_count,
        sequenced.mean_value,
        sequenced.previous_mean_value,
        sequenced.mean_value - sequenced.previous_mean_value as mean_change,
        sequenced.median_value,
        sequenced.previous_median_value,
        sequenced.median_value - sequenced.previous_median_value as median_change,
        (sequenced.median_value - sequenced.previous_median_value) / nullif(sequenced.previous_median_value, 0) * 100
            as median_change_pct,
        sequenced.low_value,
        sequenced.low_held_by,
        sequenced.high_value,
        sequenced.high_held_by,
        sequenced.stddev_value,
        sequenced.coefficient_of_variation_pct,
        sequenced.report_ids,
        sequenced.estimates,
        sequenced.oldest_estimate_on,
        sequenced.newest_estimate_on,
        cast({{ dbt.datediff(
            'sequenced.oldest_estimate_on', 'sequenced.as_of_date', 'day'
        ) }} as integer) as oldest_estimate_age_days,
        cast({{ dbt.datediff(
            'sequenced.newest_estimate_on', 'sequenced.as_of_date', 'day'
        ) }} as integer) as newest_estimate_age_days,
        sequenced.value_decimals

    from sequenced
    left join mover_lists
        on {{ join_on('sequenced', 'mover_lists', key) }}
        and sequenced.as_of_date = mover_lists.as_of_date

)

select * from final
