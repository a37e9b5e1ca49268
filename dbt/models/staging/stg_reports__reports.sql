with

source as (

    select * from {{ ref('reports') }}

),

-- a publication date is kept as printed: a day (2024-10-15), a month (2024-10) or a year (2024)
printed as (

    select
        *,
        nullif(trim(date_published), '') as date_published_printed

    from source

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
        case
            when length(date_published_printed) = 10 then cast(date_published_printed as date)
        end as date_published,
        date_published_printed,
        case length(date_published_printed)
            when 10 then 'day'
            when 7 then 'month'
            when 4 then 'year'
        end as date_published_precision,
        edition_sequence,
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

    from printed

)

select * from final
