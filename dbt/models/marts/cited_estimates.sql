-- Figures a document quotes from another publisher ("Citing the IEA (IEA, 2024), ... 14 million
-- units"): served as the cited publisher's estimates, with the citing document as their provenance.
-- They never enter the citing report's series, totals or audits (int_figures_deduplicated leaves
-- them out), so a cited value that disagrees with the report's own raises no finding.
with

figures as (

    select * from {{ ref('int_figures_normalized') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

final as (

    select
        figures.figure_id,
        figures.cited_publisher,
        figures.cited_date,
        figures.report_id as citing_report_id,
        reports.report_title as citing_report_title,
        reports.publisher as citing_publisher,
        reports.market,
        figures.metric,
        figures.dimension,
        figures.segment_key,
        figures.region_key,
        figures.figure_year,
        {{ year_start('figures.figure_year') }} as figure_date,
        figures.period_start_year,
        figures.period_end_year,
        figures.period_source,
        figures.value,
        figures.unit_key,
        figures.value_as_stated,
        figures.unit_as_stated,
        figures.qualifier,
        figures.value_as_published,
        figures.section,
        figures.quote,
        reports.document_path,
        reports.document_sha256,
        reports.attribution

    from figures
    inner join reports
        on figures.report_id = reports.report_id
    where figures.cited_publisher is not null

)

select * from final
