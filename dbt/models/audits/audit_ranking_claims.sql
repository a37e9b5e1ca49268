{#- One row per ranking claim ('Asia-Pacific dominates') and year in which its report states shares of
    that dimension: the claimed rank beside the rank the reported shares give. The GX suite `growth`
    expects claim_holds to be true on every row. -#}
with

splits as (

    {{ split_marts_union(['report_id', 'market_year', 'segment_key', 'share_basis', 'share_pct']) }}

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

final as (

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

)

select * from final
