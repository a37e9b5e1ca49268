{#- One row per ranking claim ('Asia-Pacific dominates') and year in which its report states shares of
    that dimension: the claimed rank beside the rank the reported shares give, and the verdict (the
    claim holds when the ranks are equal). -#}
{% set columns = [
    'claim_id', 'report_id', 'dimension', 'segment_key', 'market_year', 'claimed_rank', 'share_rank', 'claim_holds',
] %}

with

splits as (

    select
        dimension,
        report_id,
        market_year,
        segment_key,
        share_basis,
        share_pct
    from {{ ref('market_splits') }}

),

shares as (

    select * from splits
    where share_basis = 'reported'

),

ranked as (

    select
        *,
        cast(rank() over (partition by report_id, dimension, market_year order by share_pct desc) as integer) as share_rank
    from shares

),

share_years as (

    select distinct
        report_id,
        dimension,
        market_year
    from shares

),

claims_by_year as (

    select
        claims.claim_id,
        claims.report_id,
        claims.dimension,
        claims.segment_key,
        share_years.market_year,
        claims.claimed_rank,
        ranked.share_rank,
        coalesce(ranked.share_rank = claims.claimed_rank, false) as claim_holds
    from {{ ref('claim_sources') }} as claims
    inner join share_years
        on
        claims.report_id = share_years.report_id
        and claims.dimension = share_years.dimension
    left join ranked
        on
        claims.report_id = ranked.report_id
        and claims.dimension = ranked.dimension
        and share_years.market_year = ranked.market_year
        and claims.segment_key = ranked.segment_key
    where claims.claimed_rank is not null

),

checked as (

    select
        {{ column_list(columns) }},
        'ranking_claims_hold' as rule,
        claim_holds as holds,
        claimed_rank as stated_value,
        share_rank as compared_value,
        cast(null as {{ type_double() }}) as tolerance,
        cast(null as {{ type_double() }}) as lower_bound,
        cast(null as {{ type_double() }}) as upper_bound,
        {{ finding_details([
            ('report_id', 'report_id', false), ('figure_id', 'claim_id', false), ('segment_key', 'segment_key', false),
            ('market_year', 'market_year', true), ('claimed_rank', 'claimed_rank', true), ('share_rank', 'share_rank', true),
        ]) }} as details
    from claims_by_year

),

final as (

    {{ audit_verdict('checked', columns, ['claim_id', 'market_year'], {
        'dimension': 'dimension', 'segment_key': 'segment_key', 'year': 'market_year',
        'stated_decimals': '0', 'compared_decimals': '0',
    }) }}

)

select * from final
