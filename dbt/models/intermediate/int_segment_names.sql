-- One row per dimension and name a seed may use for a segment: its key, its display name and every
-- synonym, all lower-cased, each mapped to the one taxonomy key ("synthetic graphite" ->
-- artificial_graphite, "silicon anodes" -> silicon_based).
with

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

synonyms as (

    select * from {{ ref('stg_reports__segment_synonyms') }}

),

names as (

    select dimension, segment_key as name_normalized, segment_key from segments
    union
    select dimension, lower(segment_name) as name_normalized, segment_key from segments
    union
    select dimension, synonym_normalized as name_normalized, segment_key from synonyms

)

select * from names
