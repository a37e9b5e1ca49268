{{ config(alias="reports") }}

with

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

figures as (

    select * from {{ ref('stg_reports__figures') }}

),

claims as (

    select * from {{ ref('stg_reports__claims') }}

),

figure_counts as (

    select
        report_id,
        count(*) as reported_figure_count
    from figures
    group by report_id

),

claim_counts as (

    select
        report_id,
        count(*) as claim_count
    from claims
    group by report_id

),

markets as (

    select * from {{ ref('stg_reports__markets') }}

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

),

final as (

    select
        reports.report_id,
        reports.series_id,
        reports.edition,
        reports.report_title,
        reports.publisher,
        reports.publisher_label,
        reports.report_url,
        reports.date_published,
        reports.date_accessed,
        reports.document_path,
        reports.document_sha256,
        reports.geography,
        reports.market as market_key,
        markets.market_name,
        reports.history_start_year,
        reports.base_year,
        reports.forecast_start_year,
        reports.forecast_end_year,
        reports.currency,
        reports.report_status,
        reports.report_status_reason,
        reports.terms_of_use,
        reports.attribution,
        reports.licence,
        reports.reuse_permitted,
        coalesce(figure_counts.reported_figure_count, 0) as reported_figure_count,
        coalesce(claim_counts.claim_count, 0) as claim_count,
        reports.scope_quote,
        reports.date_published_printed,
        reports.date_published_precision,
        reports.edition_sequence,
        editions.edition_number,
        editions.edition_status,
        editions.superseded_by_report_id,
        editions.report_label

    from reports
    left join markets
        on reports.market = markets.market
    left join figure_counts
        on reports.report_id = figure_counts.report_id
    left join claim_counts
        on reports.report_id = claim_counts.report_id
    left join editions
        on reports.report_id = editions.report_id

)

select * from final
