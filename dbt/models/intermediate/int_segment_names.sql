with

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

synonyms as (

    select * from {{ ref('stg_reports__segment_synonyms') }}

),

-- a synonym belongs to the taxonomy of the segment it names: a market's taxonomy is its own namespace
synonyms_scoped as (

    select
        synonyms.dimension,
        synonyms.synonym_normalized,
        synonyms.segment_key,
        segments.segment_market
    from synonyms
    left join segments
        on synonyms.dimension = segments.dimension
        and synonyms.segment_key = segments.segment_key

),

final as (

    select
        dimension,
        segment_market,
        segment_key as name_normalized,
        segment_key
    from segments
    union
    select
        dimension,
        segment_market,
        lower(segment_name) as name_normalized,
        segment_key
    from segments
    union
    select
        dimension,
        segment_market,
        synonym_normalized as name_normalized,
        segment_key
    from synonyms_scoped

)

select * from final
