with

source as (

    select * from {{ curated_csv('report_claims') }}

),

final as (

    select
        claim_id,
        report_id,
        lower(claim_type) as claim_type,
        lower(dimension) as dimension,
        segment as segment_as_published,
        lower(trim(segment)) as segment_name_normalized,
        lower(parent_segment) as parent_segment_key,
        rank as claimed_rank,
        section,
        quote

    from source

)

select * from final
