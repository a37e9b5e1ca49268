-- Estimates are compared only where scope (region), unit and year match; where another report
-- speaks of the same market and year in another scope or unit (CNCIC: China, tons), the row says
-- why it is not compared instead of comparing it. No exchange rates: currencies are never mixed.
-- What is compared across reports: the figure key with the market in place of the report, for a year,
-- in one unit. A report series speaks with one voice, its current (newest) edition: a superseded
-- edition is never counted beside its successor (it stays in market_estimates_by_report).
{% set comparison_key = ['market_key', 'market_name']
    + (figure_series_columns() | reject('equalto', 'report_id') | list)
    + ['figure_year', 'unit_key'] %}

with

estimates as (

    -- one row per report estimate, with its vintage (actual or forecast for that year), of the current
    -- edition of each series
    select * from {{ ref('market_estimates_by_report') }}
    where is_current_edition
        and {{ changed_markets_condition() }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

thresholds as (

    select * from {{ ref('stg_reports__audit_thresholds') }}

),

estimate_spread_tolerance as (

    select threshold from thresholds
    where rule = 'estimate_spread_tolerance'

),

groups as (

    select
        {{ column_list(comparison_key) }},
        count(*) as report_count,
        min(value) as min_value,
        max(value) as max_value,
        avg(value) as mean_value,
        count(case when is_forecast then 1 end) as forecast_count,
        {{ dbt.listagg(
            dbt.concat([
                "report_id", "'='", "case when qualifier = '' then '' else " ~ dbt.concat(["qualifier", "' '"]) ~ " end", number_text("value"),
                "' ('", "basis", "', '", "estimate_vintage", "')'",
            ]),
            "'; '", "order by report_id") }} as estimates,
        {{ dbt.listagg("report_id", "','", "order by report_id") }} as report_ids,
        -- words and display precision: the names are the key's; the values compared are shown with the
        -- decimals of the coarsest estimate
        min(metric_name) as metric_name,
        min(region_name) as region_name,
        min(value_decimals) as value_decimals

    from estimates
    group by
        {{ column_list(comparison_key) }}

),

extremes as (

    select
        {{ column_list(comparison_key, 'groups') }},
        {{ dbt.listagg(
            "case when estimates.value = groups.min_value then estimates.report_id end", "','", "order by estimates.report_id"
        ) }} as low_report_ids,
        {{ dbt.listagg(
            "case when estimates.value = groups.max_value then estimates.report_id end", "','", "order by estimates.report_id"
        ) }} as high_report_ids

    from groups
    inner join estimates
        on {{ join_on('groups', 'estimates', comparison_key) }}
    group by
        {{ column_list(comparison_key, 'groups') }}

),

-- what each compared report says it covers (reports.scope_quote): two reports of one market may count
-- different things (battery anodes against anode material including supercapacitors)
report_scopes as (

    select distinct
        {{ column_list(comparison_key) }},
        report_id,
        publisher_label,
        scope_quote

    from estimates

),

scope_lists as (

    select
        {{ column_list(comparison_key) }},
        count(*) as scoped_report_count,
        count(distinct scope_quote) as distinct_scope_count,
        count(case when scope_quote is null then 1 end) as unstated_scope_count,
        {{ dbt.listagg(
            dbt.concat(["publisher_label", "': '", "coalesce(scope_quote, 'scope not stated')"]),
            "' | '", "order by report_id") }} as scopes

    from report_scopes
    group by
        {{ column_list(comparison_key) }}

),

-- estimates of the same market, dimension, segment and year in another scope or unit
other_scopes as (

    select distinct
        {{ column_list(comparison_key, 'groups') }},
        other_estimates.report_id as other_report_id,
        other_estimates.region_key as other_region_key,
        other_estimates.unit_key as other_unit_key

    from groups
    inner join metrics as group_metrics
        on groups.metric = group_metrics.metric
    inner join estimates as other_estimates
        on {{ another_scope_of('groups', 'group_metrics', 'other_estimates') }}

),

other_scope_lists as (

    select
        {{ column_list(comparison_key) }},
        {{ dbt.listagg(
            dbt.concat(["other_report_id", "' ('", "other_region_key", "', '", "other_unit_key", "')'"]),
            "', '", "order by other_report_id, other_region_key, other_unit_key") }} as not_compared_with

    from other_scopes
    group by
        {{ column_list(comparison_key) }}

),

final as (

    select
        {{ column_list(comparison_key, 'groups') }},
        {{ year_start('groups.figure_year') }} as figure_date,
        groups.report_count,
        groups.report_ids,
        groups.estimates,
        groups.forecast_count,
        groups.min_value,
        groups.max_value,
        groups.max_value - groups.min_value as value_range,
        (groups.max_value - groups.min_value) / nullif(groups.mean_value, 0) * 100 as relative_spread_pct,
        tolerance.threshold as spread_tolerance_pct,
        groups.report_count >= 2
        and (groups.max_value - groups.min_value) / nullif(groups.mean_value, 0) * 100 > tolerance.threshold as reports_disagree,
        case
            when groups.report_count >= 2
                and (groups.max_value - groups.min_value) / nullif(groups.mean_value, 0) * 100 > tolerance.threshold
                then {{ dbt.concat(["'low: '", "extremes.low_report_ids", "'; high: '", "extremes.high_report_ids"]) }}
        end as disagreeing_reports,
        case when groups.report_count >= 2 then 'compared' else 'single estimate' end as comparison_status,
        other_scope_lists.not_compared_with,
        case
            when other_scope_lists.not_compared_with is not null
                then {{ dbt.concat([
                    "'not compared with '",
                    "other_scope_lists.not_compared_with",
                    "': a different geography or unit (volumes are never compared with money, and no exchange rates are applied)'",
                ]) }}
            when groups.report_count = 1 then 'no other report estimates this market, segment, region and year'
        end as not_compared_reason,
        groups.metric_name,
        groups.region_name,
        groups.value_decimals,
        coalesce(
            scope_lists.scoped_report_count >= 2
            and (scope_lists.distinct_scope_count > 1 or scope_lists.unstated_scope_count > 0),
            false
        ) as scopes_differ,
        scope_lists.scopes

    from groups
    inner join extremes
        on {{ join_on('groups', 'extremes', comparison_key) }}
    left join other_scope_lists
        on {{ join_on('groups', 'other_scope_lists', comparison_key) }}
    left join scope_lists
        on {{ join_on('groups', 'scope_lists', comparison_key) }}
    cross join estimate_spread_tolerance as tolerance

)

select * from final
