with

source as (

    select * from {{ ref('reference_documents') }}

),

final as (

    select
        document_id,
        title as document_title,
        publisher as document_publisher,
        url as document_url,
        date_published as document_date_published,
        date_accessed as document_date_accessed,
        document_path,
        lower(document_sha256) as document_sha256,
        attribution as document_attribution,
        licence as document_licence

    from source

)

select * from final
