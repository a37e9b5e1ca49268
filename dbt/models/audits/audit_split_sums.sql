{#- One row per report, split dimension, region and year that has at least one reported share: the
    shares' sum, how many of the listed segments have a reported or a derived share, and the verdict.
    Each printed share stands for an interval (its printed precision widened by its qualifier:
    share_low_pct..share_high_pct), so the sum does too: a complete split (every listed segment has a
    reported share) holds when 100 lies in its sum's interval, widened by share_sum_tolerance; a partial
    one when the lowest sum its shares allow does not exceed 100 + share_sum_tolerance. A high end left
    open by a qualifier ("more than 90 %") leaves the sum's high end open. -#}
{% set columns = [
    'report_id', 'dimension', 'region_key', 'market_year', 'share_sum', 'share_sum_low', 'share_sum_high',
    'segment_count', 'reported_count', 'derived_count', 'reported_shares',
] %}

with

splits as (

    select
        dimension,
        report_id,
        region_key,
        market_year,
        segment_key,
        share_basis,
        share_pct,
        share_low_pct,
        share_high_pct
    from {{ ref('market_splits') }}

),

thresholds as (

    {{ audit_thresholds(['share_sum_tolerance']) }}

),

sums as (

    select
        report_id,
        dimension,
        region_key,
        market_year,
        -- typed, so both engines give the same types (a sum of integers is HUGEINT on DuckDB); shares are
        -- curated with at most 6 decimals, so their sum as decimal(38, 6) is exact and the same in whatever
        -- order the engine adds them (96.9, never 96.89999999999999)
        cast(
            cast(sum(case when share_basis = 'reported' then share_pct end) as decimal(38, 6)) as {{ type_double() }}
        ) as share_sum,
        cast(
            cast(sum(case when share_basis = 'reported' then share_low_pct end) as decimal(38, 6)) as {{ type_double() }}
        ) as share_sum_low,
        -- open (null) as soon as one reported share's high end is open
        cast(
            cast(sum(case when share_basis = 'reported' then share_high_pct end) as decimal(38, 6)) as {{ type_double() }}
        ) * case
            when sum(case when share_basis = 'reported' and share_high_pct is null then 1 else 0 end) = 0 then 1
        end as share_sum_high,
        cast(count(*) as integer) as segment_count,
        cast(sum(case when share_basis = 'reported' then 1 else 0 end) as integer) as reported_count,
        cast(sum(case when share_basis = 'derived' then 1 else 0 end) as integer) as derived_count,
        {{ listagg(
            "case when share_basis = 'reported' then segment_key || '=' || " ~ number_text('share_pct') ~ " end",
            "', '",
            "order by segment_key"
        ) }} as reported_shares
    from splits
    group by report_id, dimension, region_key, market_year
    having sum(case when share_basis = 'reported' then 1 else 0 end) > 0

),

completeness as (

    select
        sums.*,
        thresholds.share_sum_tolerance,
        sums.reported_count = sums.segment_count and sums.derived_count = 0 as is_complete
    from sums
    cross join thresholds

),

checked as (

    select
        {{ column_list(columns) }},
        case when is_complete then 'complete_split_sums_to_100' else 'partial_split_at_most_100' end as rule,
        case
            when is_complete
                then
                    share_sum_low <= 100 + share_sum_tolerance
                    and (share_sum_high is null or share_sum_high >= 100 - share_sum_tolerance)
            else share_sum_low <= 100 + share_sum_tolerance
        end as holds,
        share_sum as stated_value,
        cast(null as {{ type_double() }}) as compared_value,
        share_sum_tolerance as tolerance,
        case when is_complete then 100 - share_sum_tolerance end as lower_bound,
        100 + share_sum_tolerance as upper_bound,
        {{ finding_details([
            ('report_id', 'report_id', false), ('dimension', 'dimension', false), ('region_key', 'region_key', false),
            ('market_year', 'market_year', true), ('reported_shares', 'reported_shares', false), ('share_sum', 'share_sum', true),
            ('share_sum_low', 'share_sum_low', true), ('share_sum_high', 'share_sum_high', true),
        ]) }} as details
    from completeness

),

final as (

    {{ audit_verdict('checked', columns, ['dimension', 'region_key', 'market_year'], {
        'dimension': 'dimension', 'region_key': 'region_key', 'year': 'market_year',
    }) }}

)

select * from final
