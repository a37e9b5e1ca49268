with

claims as (

    select * from {{ ref('int_claims_resolved') }}
    where dimension = 'company'

),

segments as (

    select * from {{ ref('stg_reports__segments') }}
    where dimension = 'company'

),

final as (

    select
        claims.report_id,
        claims.segment_key as company_key,
        segments.segment_name as company_name,
        claims.claim_type as company_role,
        claims.parent_segment_key as company_country,
        claims.claimed_rank,
        claims.section,
        claims.quote,
        claims.claim_id

    from claims
    left join segments
        on claims.segment_key = segments.segment_key

)

{{ select_with_market() }}
