with

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

synonyms as (

    select * from {{ ref('stg_reports__segment_synonyms') }}

),

final as (

    select
        dimension,
        segment_key as name_normalized,
        segment_key
    from segments
    union
    select
        dimension,
        lower(segment_name) as name_normalized,
        segment_key
    from segments
    union
    select
        dimension,
        synonym_normalized as name_normalized,
        segment_key
    from synonyms

)

select * from final
