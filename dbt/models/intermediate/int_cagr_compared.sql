-- A stated growth rate is checked against the report's own values of the same series (seeds/metrics.csv:
-- a rate and the levels it grows share a `series`, so EV sales stay apart from the market's size):
-- over the stated period itself when the report gives values at both of its ends, else over the
-- nearest reported span (the value nearest each end, on the right side of the other end), and
-- `span_note` says which. A lithium report stating 18.9 % for 2024-2032 with values for 2023, 2024
-- and 2032 is checked over 2024 -> 2032, not 2023 -> 2032.
--
-- Where the report's own values fall between two consecutive reported years at or inside the
-- stated period while it states positive growth, the largest such fall is shown beside the rate
-- (`fall_*`): the contradiction a reader should see, with both numbers.
--
-- A segment's values may be derived from its reported shares and the reported totals (QY: silicon
-- 1.2 % of 3.2 bn in 2020 -> 10.1 % of 14.1 bn in 2027 implies about 67.6 % a year against a stated
-- 76.6 %); such rows say so in `implied_basis` and are judged with the advisory
-- segment_growth_tolerance. Series without a stated rate get one row with the rate their first and
-- last values imply.
{% set place = ['report_id', 'metric_series', 'dimension', 'segment_key', 'region_key'] %}
{% set value_series = place + ['metric', 'unit_key'] %}

with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

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
        {{ column_list(value_series) }},
        figure_year,
        value,
        source_figure_ids,
        'reported' as basis
    from figures
    where metric_kind = 'level'
        and figure_year is not null

    union all

    -- a segment value derived only from reported numbers: reported share x reported total
    select
        splits.report_id,
        metrics.metric_series,
        splits.dimension,
        splits.segment_key,
        splits.region_key,
        splits.total_metric as metric,
        splits.total_unit as unit_key,
        splits.market_year as figure_year,
        splits.segment_value as value,
        splits.source_figure_ids,
        'derived' as basis
    from splits
    inner join metrics
        on splits.total_metric = metrics.metric
    where splits.segment_value_basis = 'derived'
        and splits.share_basis = 'reported'
        and splits.total_basis = 'reported'

),

stated as (

    select
        {{ column_list(place) }},
        metric as stated_metric,
        value as stated_cagr_pct,
        qualifier as stated_qualifier,
        period_start_year as stated_period_start_year,
        period_end_year as stated_period_end_year,
        source_figure_ids as stated_figure_ids

    from figures
    where metric_kind = 'rate'

),

candidates as (

    select
        stated.*,
        reported_values.metric as value_metric,
        reported_values.unit_key as value_unit,
        reported_values.figure_year,
        reported_values.value,
        reported_values.basis,
        reported_values.source_figure_ids

    from stated
    inner join reported_values
        on {{ join_on('stated', 'reported_values', place) }}

),

-- the value nearest the stated start (before the stated end), and nearest the stated end (after the
-- stated start); of two equally near, the one inside the period
start_values as (

    select
        candidates.*,
        row_number() over (
            partition by candidates.stated_figure_ids, candidates.value_metric, candidates.value_unit
            order by abs(candidates.figure_year - candidates.stated_period_start_year), candidates.figure_year desc
        ) as nearness
    from candidates
    where candidates.figure_year < candidates.stated_period_end_year

),

end_values as (

    select
        candidates.*,
        row_number() over (
            partition by candidates.stated_figure_ids, candidates.value_metric, candidates.value_unit
            order by abs(candidates.figure_year - candidates.stated_period_end_year), candidates.figure_year
        ) as nearness
    from candidates
    where candidates.figure_year > candidates.stated_period_start_year

),

stated_matched as (

    select
        {{ column_list(place, 'start_values') }},
        start_values.stated_metric,
        start_values.value_metric,
        start_values.stated_cagr_pct,
        start_values.stated_qualifier,
        start_values.stated_period_start_year,
        start_values.stated_period_end_year,
        start_values.figure_year as value_start_year,
        end_values.figure_year as value_end_year,
        start_values.value as value_start,
        end_values.value as value_end,
        start_values.value_unit,
        case
            when start_values.basis = 'derived' or end_values.basis = 'derived' then 'derived' else 'reported'
        end as implied_basis,
        start_values.stated_figure_ids,
        {{ dbt.concat(["start_values.source_figure_ids", "','", "end_values.source_figure_ids"]) }} as value_figure_ids

    from start_values
    inner join end_values
        on start_values.stated_figure_ids = end_values.stated_figure_ids
        and start_values.value_metric = end_values.value_metric
        and start_values.value_unit = end_values.value_unit
    where start_values.nearness = 1
        and end_values.nearness = 1
        and start_values.figure_year < end_values.figure_year

),

stated_unmatched as (

    select
        {{ column_list(place, 'stated') }},
        stated.stated_metric,
        {{ as_text('null') }} as value_metric,
        stated.stated_cagr_pct,
        stated.stated_qualifier,
        stated.stated_period_start_year,
        stated.stated_period_end_year,
        cast(null as integer) as value_start_year,
        cast(null as integer) as value_end_year,
        cast(null as {{ type_double() }}) as value_start,
        cast(null as {{ type_double() }}) as value_end,
        {{ as_text('null') }} as value_unit,
        {{ as_text('null') }} as implied_basis,
        stated.stated_figure_ids,
        {{ as_text('null') }} as value_figure_ids

    from stated
    where stated.stated_figure_ids not in (select stated_matched.stated_figure_ids from stated_matched)

),

value_spans as (

    select
        {{ column_list(value_series) }},
        min(figure_year) as value_start_year,
        max(figure_year) as value_end_year,
        count(*) as reported_value_count,
        case when sum(case when basis = 'derived' then 1 else 0 end) = 0 then 'reported' else 'derived' end as implied_basis

    from reported_values
    group by
        {{ column_list(value_series) }}

),

-- a series the report states no rate for: the rate its first and last values imply
unstated as (

    select
        {{ column_list(place, 'value_spans') }},
        {{ as_text('null') }} as stated_metric,
        value_spans.metric as value_metric,
        cast(null as {{ type_double() }}) as stated_cagr_pct,
        {{ as_text('null') }} as stated_qualifier,
        cast(null as integer) as stated_period_start_year,
        cast(null as integer) as stated_period_end_year,
        value_spans.value_start_year,
        value_spans.value_end_year,
        start_values.value as value_start,
        end_values.value as value_end,
        value_spans.unit_key as value_unit,
        value_spans.implied_basis,
        {{ as_text('null') }} as stated_figure_ids,
        {{ dbt.concat(["start_values.source_figure_ids", "','", "end_values.source_figure_ids"]) }} as value_figure_ids

    from value_spans
    inner join reported_values as start_values
        on {{ join_on('value_spans', 'start_values', value_series) }}
        and value_spans.value_start_year = start_values.figure_year
    inner join reported_values as end_values
        on {{ join_on('value_spans', 'end_values', value_series) }}
        and value_spans.value_end_year = end_values.figure_year
    where value_spans.reported_value_count >= 2
        and not exists (
            select 1 from stated
            where {{ join_on('stated', 'value_spans', place) }}
        )

),

matched as (

    select * from stated_matched
    union all
    select * from stated_unmatched
    union all
    select * from unstated

),

-- consecutive reported values of a series, and how much the later one falls below the earlier
reported_steps as (

    select
        {{ column_list(value_series) }},
        figure_year,
        value,
        source_figure_ids,
        lag(figure_year) over (partition by {{ column_list(value_series) }} order by figure_year) as previous_year,
        lag(value) over (partition by {{ column_list(value_series) }} order by figure_year) as previous_value,
        lag(source_figure_ids) over (partition by {{ column_list(value_series) }} order by figure_year) as previous_figure_ids

    from reported_values
    where basis = 'reported'

),

falls_against_stated_growth as (

    select
        matched.stated_figure_ids,
        matched.value_metric,
        matched.value_unit,
        reported_steps.previous_year as fall_start_year,
        reported_steps.figure_year as fall_end_year,
        (reported_steps.value / reported_steps.previous_value - 1) * 100 as fall_pct,
        {{ dbt.concat(["reported_steps.previous_figure_ids", "','", "reported_steps.source_figure_ids"]) }} as fall_figure_ids,
        row_number() over (
            partition by matched.stated_figure_ids, matched.value_metric, matched.value_unit
            order by reported_steps.value / reported_steps.previous_value, reported_steps.figure_year
        ) as steepness

    from matched
    inner join reported_steps
        on {{ join_on('matched', 'reported_steps', place) }}
        and matched.value_metric = reported_steps.metric
        and matched.value_unit = reported_steps.unit_key
    where matched.stated_cagr_pct > 0
        and reported_steps.value < reported_steps.previous_value
        and reported_steps.figure_year >= matched.stated_period_start_year
        and reported_steps.previous_year <= matched.stated_period_end_year

),

implied as (

    select
        matched.*,
        matched.stated_period_end_year - matched.stated_period_start_year as stated_compounding_years,
        matched.value_end_year - matched.value_start_year as value_compounding_years,
        {{ cagr_pct('matched.value_start', 'matched.value_end', 'matched.value_end_year - matched.value_start_year') }}
            as implied_cagr_pct,
        {{ cagr_pct(
            'matched.value_start', 'matched.value_end', 'matched.stated_period_end_year - matched.stated_period_start_year'
        ) }} as implied_cagr_over_stated_period_pct,
        falls.fall_start_year,
        falls.fall_end_year,
        falls.fall_pct,
        falls.fall_figure_ids

    from matched
    left join falls_against_stated_growth as falls
        on matched.stated_figure_ids = falls.stated_figure_ids
        and matched.value_metric = falls.value_metric
        and matched.value_unit = falls.value_unit
        and falls.steepness = 1

),

final as (

    select
        implied.report_id,
        implied.metric_series,
        implied.stated_metric,
        implied.value_metric,
        implied.dimension,
        implied.segment_key,
        implied.region_key,
        implied.stated_cagr_pct,
        implied.stated_qualifier,
        implied.stated_period_start_year,
        implied.stated_period_end_year,
        implied.stated_compounding_years,
        implied.value_start_year,
        implied.value_end_year,
        implied.value_compounding_years,
        implied.value_start,
        implied.value_end,
        implied.value_unit,
        implied.implied_basis,
        implied.stated_figure_ids,
        implied.value_figure_ids,
        implied.implied_cagr_pct,
        implied.implied_cagr_over_stated_period_pct,
        implied.stated_cagr_pct - implied.implied_cagr_pct as difference_pp,
        case when implied.implied_basis = 'derived' then segment_tolerance.threshold else tolerance.threshold end as tolerance_pp,
        case
            when implied.stated_cagr_pct is null or implied.implied_cagr_pct is null then null
            when implied.implied_basis = 'derived'
                then abs(implied.stated_cagr_pct - implied.implied_cagr_pct) <= segment_tolerance.threshold
            else abs(implied.stated_cagr_pct - implied.implied_cagr_pct) <= tolerance.threshold
        end as agrees_within_tolerance,
        implied.fall_start_year,
        implied.fall_end_year,
        implied.fall_pct,
        implied.fall_figure_ids,
        case
            when implied.stated_cagr_pct is null and implied.implied_basis = 'derived'
                then 'no rate stated: implied rate only, from reported shares x reported totals'
            when implied.stated_cagr_pct is null
                then 'no rate stated: implied rate of the first and last reported values only'
            when implied.implied_cagr_pct is null
                then 'no two reported values of the series reach into the stated period: stated rate only'
            when implied.value_start_year = implied.stated_period_start_year
                and implied.value_end_year = implied.stated_period_end_year
                and implied.implied_basis = 'derived'
                then 'over the stated period; the values are reported shares x reported totals'
            when implied.value_start_year = implied.stated_period_start_year
                and implied.value_end_year = implied.stated_period_end_year
                then 'over the stated period: the report gives values at both of its ends'
            else {{ dbt.concat([
                "'the report gives no value at '",
                "case when implied.value_start_year <> implied.stated_period_start_year then "
                    ~ as_text("implied.stated_period_start_year") ~ " else '' end",
                "case when implied.value_start_year <> implied.stated_period_start_year "
                    ~ "and implied.value_end_year <> implied.stated_period_end_year then ' and ' else '' end",
                "case when implied.value_end_year <> implied.stated_period_end_year then "
                    ~ as_text("implied.stated_period_end_year") ~ " else '' end",
                "' of the stated period '",
                as_text("implied.stated_period_start_year"),
                "'-'",
                as_text("implied.stated_period_end_year"),
                "': implied_cagr_pct uses the nearest reported span '",
                as_text("implied.value_start_year"),
                "'->'",
                as_text("implied.value_end_year"),
                "' ('",
                as_text("implied.value_compounding_years"),
                "' compounding years)'",
            ]) }}
        end as span_note

    from implied
    cross join cagr_tolerance as tolerance
    cross join segment_growth_tolerance as segment_tolerance

)

select * from final
