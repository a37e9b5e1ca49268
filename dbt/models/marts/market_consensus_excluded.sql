-- What a consensus leaves out, and why: one row per market_consensus key (market, metric, dimension,
-- segment, geography, year, unit) and estimate that is not counted in it. Not compared: the same market,
-- segment and year in another geography, another quantity (tons are never money), another currency
-- without a curated exchange rate of the estimate's year (with one, it enters converted, int_consensus_estimates)
-- or another basis of the same quantity (tons of
-- contained nickel against tons of product). Excluded: a figure its own document prints with two values
-- (audits.audit_figure_contradictions: the warehouse serves neither), an estimate a person acknowledged
-- as the publisher's error (an outlier_vs_consensus finding), and a superseded edition (its series speaks
-- through its newer edition). A key may have no consensus row when everything of it is left out.
{% set key = consensus_key() %}

with

estimates as (

    select * from {{ ref('int_consensus_estimates') }}
    where {{ changed_markets_condition() }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

),

contradictions as (

    select * from {{ ref('audit_figure_contradictions') }}
    where not holds

),

current_estimates as (

    select * from estimates
    where is_current_edition

),

-- the keys a consensus may be computed for: every key a current edition estimates
consensus_keys as (

    select distinct
        {{ column_list(key) }},
        metric_kind,
        metric_series,
        quantity,
        currency

    from current_estimates

),

other_scopes as (

    select
        {{ column_list(key, 'consensus_keys') }},
        other_estimates.report_id,
        other_estimates.publisher_label,
        other_estimates.metric as estimate_metric,
        other_estimates.region_key as estimate_region_key,
        other_estimates.unit_key as estimate_unit_key,
        other_estimates.value,
        other_estimates.value_kind,
        'not compared' as exclusion,
        case
            when consensus_keys.region_key <> other_estimates.region_key
                then {{ dbt.concat(["'another geography ('", "other_estimates.region_key", "')'"]) }}
            when coalesce(consensus_keys.quantity, '') <> coalesce(other_estimates.quantity, '')
                then {{ dbt.concat([
                    "'another quantity ('", "coalesce(other_estimates.quantity, 'unknown')", "' in '", "other_estimates.unit_key",
                    "', not '", "coalesce(consensus_keys.quantity, 'unknown')", "')'",
                ]) }}
            when coalesce(consensus_keys.currency, '') <> coalesce(other_estimates.currency, '')
                then {{ dbt.concat([
                    "'no exchange rate ('", "other_estimates.currency", "' to '", "consensus_keys.currency", "')'",
                ]) }}
            else {{ dbt.concat(["'another basis of the same quantity ('", "other_estimates.unit_key", "')'"]) }}
        end as reason,
        cast(null as {{ dbt.type_string() }}) as finding_key

    from consensus_keys
    inner join current_estimates as other_estimates
        on {{ another_scope_of('consensus_keys', 'consensus_keys', 'other_estimates') }}
    -- an estimate in another currency that enters this key converted is counted, not left out
    left join current_estimates as conversions
        on {{ join_on('consensus_keys', 'conversions', key) }}
        and other_estimates.report_id = conversions.report_id
        and other_estimates.unit_key = conversions.converted_from_unit_key
    where other_estimates.acknowledged_error_finding_key is null
        -- a conversion is listed through the estimate it converts
        and other_estimates.conversion_note is null
        and conversions.report_id is null

),

acknowledged_errors as (

    select
        {{ column_list(key) }},
        report_id,
        publisher_label,
        metric as estimate_metric,
        region_key as estimate_region_key,
        unit_key as estimate_unit_key,
        value,
        value_kind,
        'excluded' as exclusion,
        case
            when value_kind = 'derived'
                then 'derived from a series with an estimate acknowledged as the publisher''s error'
            else 'acknowledged as the publisher''s error'
        end as reason,
        acknowledged_error_finding_key as finding_key

    from current_estimates
    where acknowledged_error_finding_key is not null

),

superseded as (

    select
        {{ column_list(key, 'estimates') }},
        estimates.report_id,
        estimates.publisher_label,
        estimates.metric as estimate_metric,
        estimates.region_key as estimate_region_key,
        estimates.unit_key as estimate_unit_key,
        estimates.value,
        estimates.value_kind,
        'excluded' as exclusion,
        {{ dbt.concat([
            "'superseded by '", "coalesce(editions.superseded_by_report_id, 'a newer edition')",
            "': the series speaks through its current edition'",
        ]) }} as reason,
        cast(null as {{ dbt.type_string() }}) as finding_key

    from estimates
    left join editions
        on estimates.report_id = editions.report_id
    where not estimates.is_current_edition

),

contradicted as (

    select
        reports.market as market_key,
        contradictions.metric,
        contradictions.dimension,
        contradictions.segment_key,
        contradictions.region_key,
        contradictions.figure_year,
        contradictions.unit_key,
        contradictions.report_id,
        reports.publisher_label,
        contradictions.metric as estimate_metric,
        contradictions.region_key as estimate_region_key,
        contradictions.unit_key as estimate_unit_key,
        cast(null as {{ type_double() }}) as value,
        'reported' as value_kind,
        'excluded' as exclusion,
        {{ dbt.concat([
            "'the document prints two values for this figure ('", number_text("contradictions.lowest_value"), "' and '",
            number_text("contradictions.highest_value"), "'): the warehouse serves neither'",
        ]) }} as reason,
        contradictions.finding_key

    from contradictions
    inner join reports
        on contradictions.report_id = reports.report_id
    inner join editions
        on contradictions.report_id = editions.report_id
    where {{ changed_markets_condition('reports.market') }}
        and contradictions.figure_year is not null
        and editions.is_current_edition

),

unioned as (

    select * from other_scopes
    union all
    select * from acknowledged_errors
    union all
    select * from superseded
    union all
    select * from contradicted

),

final as (

    select
        {{ column_list(key) }},
        report_id,
        publisher_label,
        estimate_metric,
        estimate_region_key,
        estimate_unit_key,
        value,
        value_kind,
        exclusion,
        {{ dbt.concat(['exclusion', "': '", 'reason']) }} as reason,
        finding_key

    from unioned

)

select * from final
