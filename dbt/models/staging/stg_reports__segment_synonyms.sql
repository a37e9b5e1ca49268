with

source as (

    select * from {{ ref('segment_synonyms') }}

),

final as (

    select
        lower(dimension) as dimension,
        synonym,
        lower(synonym) as synonym_normalized,
        lower(segment_key) as segment_key,
        {{ dbt.concat(["lower(dimension)", "':'", "lower(segment_key)"]) }} as segment_id

    from source

)

select * from final
