with

source as (

    select * from {{ ref('reports') }}

),

final as (

    select
        report_id,
        series_id,
        edition,
        title as report_title,
        publisher,
        publisher_label,
        url as report_url,
        date_published,
        date_accessed,
        document_path,
        lower(document_sha256) as document_sha256,
        lower(geography) as geography,
        lower(market) as market,
        history_start_year,
        base_year,
        forecast_start_year,
        forecast_end_year,
        upper(currency) as currency,
        lower(status) as report_status,
        status_reason as report_status_reason,
        terms_of_use,
        attribution,
        licence,
        reuse_permitted,
        nullif(trim(scope_quote), '') as scope_quote

    from source

)

select * from final
