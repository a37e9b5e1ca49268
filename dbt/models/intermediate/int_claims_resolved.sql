with

claims as (

    select * from {{ ref('stg_reports__claims') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

final as (

    select
        claims.claim_id,
        claims.report_id,
        claims.claim_type,
        claims.dimension,
        claims.segment_as_published,
        names.segment_key,
        claims.parent_segment_key,
        claims.claimed_rank,
        claims.section,
        claims.quote

    from claims
    left join names
        on claims.dimension = names.dimension
        and claims.segment_name_normalized = names.name_normalized

)

select * from final
