with

claims as (

    select * from {{ ref('int_claims_resolved') }}

),

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

final as (

    select
        claims.claim_id,
        claims.report_id,
        claims.claim_type,
        claims.dimension,
        claims.segment_key,
        segments.segment_name,
        claims.parent_segment_key,
        claims.claimed_rank,
        claims.section,
        claims.quote

    from claims
    left join segments
        on claims.dimension = segments.dimension
        and claims.segment_key = segments.segment_key

)

{{ select_with_market() }}
