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

final as (

    select
        reports.*,
        coalesce(figure_counts.reported_figure_count, 0) as reported_figure_count,
        coalesce(claim_counts.claim_count, 0) as claim_count

    from reports
    left join figure_counts
        on reports.report_id = figure_counts.report_id
    left join claim_counts
        on reports.report_id = claim_counts.report_id

)

select * from final
