-- market_figures.source_figure_ids points here, so every number traces to a quote.
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
        {{ market_figure_id('figures') }} as market_figure_id,
        -- a value a report states twice has two quotes; the first (lowest figure_id) is its primary quote
        row_number() over (
            partition by {{ market_figure_id('figures') }} order by figures.figure_id
        ) = 1 as is_primary_quote,
        figures.report_id,
        reports.report_title,
        figures.metric,
        figures.dimension,
        figures.segment_key,
        figures.segment_as_published,
        figures.region_key,
        figures.figure_year,
        {{ year_start('figures.figure_year') }} as figure_date,
        figures.period_start_year,
        figures.period_end_year,
        figures.value_as_stated as value,
        figures.unit_as_stated as unit_key,
        figures.qualifier,
        figures.value_as_published,
        figures.basis,
        figures.section,
        figures.quote,
        reports.document_path,
        reports.document_sha256,
        reports.attribution

    from figures
    inner join reports
        on figures.report_id = reports.report_id

)

select * from final
