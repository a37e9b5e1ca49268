with

claims as (

    select * from {{ ref('stg_reports__claims') }}

),

claim_types as (

    select * from {{ ref('stg_reports__claim_types') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

final as (

    select
        claims.claim_id,
        claims.report_id,
        claims.claim_type,
        claim_types.lists_segments,
        claim_types.is_ranking,
        claims.dimension,
        claims.segment_as_published,
        names.segment_key,
        claims.parent_segment_key,
        claims.claimed_rank,
        claims.section,
        claims.quote

    from claims
    left join claim_types
        on claims.claim_type = claim_types.claim_type
    left join reports
        on claims.report_id = reports.report_id
    left join names
        on claims.dimension = names.dimension
        and claims.segment_name_normalized = names.name_normalized
        and (names.segment_market is null or reports.market = names.segment_market)

)

select * from final {{ changed_reports_only() }}
