{#- One row per reported estimate (every edition), and the advisory verdict of outlier_vs_consensus,
    judged where the estimate is of a current edition and at least outlier_vs_consensus_min_others other
    publishers estimate the same market, metric, dimension, segment, geography, year and unit: the
    estimate lies within outlier_vs_consensus_factor times the others' range. Both sides are intervals (a printed number stands for its precision and
    qualifier, int_figures_normalized): an estimate is an outlier only if even the lowest value it can
    mean is more than factor x the highest value any other can mean (3281.25 "billion" against 3.08 and
    3.3), or its highest below the others' lowest / factor; an open bound ("more than") never is. The
    finding names the value, the others' median and their range; it never blocks, and the estimate
    leaves the consensus only where a person acknowledges the finding as the publisher's error
    (int_consensus_estimates). Derived values are not judged: the printed numbers they rest on are; a
    conversion into the consensus currency is (it is its printed number in another currency). -#}
{% set columns = [
    'report_id', 'market_key', 'metric', 'dimension', 'segment_key', 'region_key', 'figure_year', 'unit_key',
    'estimate_key', 'value', 'value_low', 'value_high', 'other_count', 'others_median', 'others_low', 'others_high',
    'other_report_ids', 'judged',
] %}

with

-- every reported estimate of every edition has a row, so the rows this audit checks of a report depend on
-- that report alone (the publish guard compares them per unchanged report): only a current edition's
-- estimate with enough other publishers is judged, every other row holds with judged = false
estimates as (

    select * from {{ ref('int_consensus_estimates') }}
    where value_kind = 'reported' or conversion_note is not null

),

current_estimates as (

    select * from {{ ref('int_consensus_estimates') }}
    where is_current_edition

),

thresholds as (

    {{ audit_thresholds(['outlier_vs_consensus_factor', 'outlier_vs_consensus_min_others']) }}

),

-- each reported estimate beside every other publisher's estimate of its key (one a person acknowledged
-- as an error is no longer anyone's neighbour)
pairs as (

    select
        judged.outlier_finding_key as judged_finding_key,
        other_estimates.value,
        other_estimates.value_low,
        other_estimates.value_high,
        other_estimates.value_kind,
        other_estimates.is_forecast,
        other_estimates.estimate_vintage,
        other_estimates.qualifier,
        other_estimates.publisher_label,
        other_estimates.report_id,
        other_estimates.estimate_dated_on,
        other_estimates.estimate_dated_from,
        other_estimates.value_decimals,
        other_estimates.market_name,
        other_estimates.metric_name,
        other_estimates.region_name,
        other_estimates.unit_name,
        other_estimates.quantity,
        other_estimates.currency,
        other_estimates.conversion_note

    from current_estimates as judged
    inner join current_estimates as other_estimates
        on {{ join_on('judged', 'other_estimates', consensus_key()) }}
        and judged.series_id <> other_estimates.series_id
    where (judged.value_kind = 'reported' or judged.conversion_note is not null)
        and other_estimates.acknowledged_error_finding_key is null

),

others_consensus as (

    {{ consensus_statistics('pairs', ['judged_finding_key']) }}

),

others_bounds as (

    select
        judged_finding_key,
        min(value_low) as others_low_bound,
        max(value_high) as others_high_bound,
        count(case when value_low is null then 1 end) as open_low_count,
        count(case when value_high is null then 1 end) as open_high_count

    from pairs
    group by judged_finding_key

),

checked as (

    select
        estimates.report_id,
        estimates.market_key,
        estimates.metric,
        estimates.dimension,
        estimates.segment_key,
        estimates.region_key,
        estimates.figure_year,
        estimates.unit_key,
        estimates.estimate_key,
        estimates.value,
        estimates.value_low,
        estimates.value_high,
        others_consensus.publisher_count as other_count,
        others_consensus.median_value as others_median,
        others_consensus.low_value as others_low,
        others_consensus.high_value as others_high,
        others_consensus.report_ids as other_report_ids,
        'outlier_vs_consensus' as rule,
        coalesce(
            estimates.is_current_edition
            and others_consensus.publisher_count >= thresholds.outlier_vs_consensus_min_others,
            false
        ) as judged,
        not coalesce(
            estimates.is_current_edition
            and others_consensus.publisher_count >= thresholds.outlier_vs_consensus_min_others
            and (
                (
                    estimates.value_low is not null
                    and others_bounds.open_high_count = 0
                    and estimates.value_low > thresholds.outlier_vs_consensus_factor * others_bounds.others_high_bound
                )
                or (
                    estimates.value_high is not null
                    and others_bounds.open_low_count = 0
                    and estimates.value_high * thresholds.outlier_vs_consensus_factor < others_bounds.others_low_bound
                )
            ),
            false
        ) as holds,
        estimates.value as stated_value,
        others_consensus.median_value as compared_value,
        thresholds.outlier_vs_consensus_factor as tolerance,
        others_consensus.low_value as lower_bound,
        others_consensus.high_value as upper_bound,
        {{ finding_details([
            ('report_id', 'estimates.report_id', false), ('market_key', 'estimates.market_key', false),
            ('metric', 'estimates.metric', false), ('segment_key', 'estimates.segment_key', false),
            ('region_key', 'estimates.region_key', false), ('figure_year', 'estimates.figure_year', true),
            ('unit_key', 'estimates.unit_key', false), ('value', 'estimates.value', true),
            ('others_median', 'others_consensus.median_value', true),
            ('others_range', interval_text('others_consensus.low_value', 'others_consensus.high_value'), false),
            ('other_reports', 'others_consensus.report_ids', false),
            ('factor', 'thresholds.outlier_vs_consensus_factor', true),
        ]) }} as details,
        estimates.value_decimals as word_stated_decimals,
        others_consensus.value_decimals as word_compared_decimals

    from estimates
    left join others_consensus
        on estimates.outlier_finding_key = others_consensus.judged_finding_key
    left join others_bounds
        on estimates.outlier_finding_key = others_bounds.judged_finding_key
    cross join thresholds

),

final as (

    {{ audit_verdict('checked', columns, ['estimate_key'], {
        'metric': 'metric', 'dimension': 'dimension', 'segment_key': 'segment_key', 'region_key': 'region_key',
        'year': 'figure_year', 'unit_key': 'unit_key',
        'stated_decimals': 'checked.word_stated_decimals', 'compared_decimals': 'checked.word_compared_decimals',
    }) }}

)

select * from final
