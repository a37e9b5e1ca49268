-- market_figures.source_figure_ids points here, so every number traces to a quote.
with

figures as (

    select * from {{ ref('int_figures_normalized') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

stated as (

    -- each stated figure with the id of the market_figures row that holds its value
    select
        figures.*,
        {{ market_figure_id('figures') }} as market_figure_id

    from figures

),

final as (

    select
        stated.figure_id,
        stated.market_figure_id,
        -- a value a report states twice has two quotes; the first (lowest figure_id) is its primary quote
        row_number() over (partition by stated.market_figure_id order by stated.figure_id) = 1 as is_primary_quote,
        stated.report_id,
        reports.report_title,
        stated.metric,
        stated.dimension,
        stated.segment_key,
        stated.segment_as_published,
        stated.region_key,
        stated.figure_year,
        {{ year_start('stated.figure_year') }} as figure_date,
        stated.period_start_year,
        stated.period_end_year,
        stated.value_as_stated as value,
        stated.unit_as_stated as unit_key,
        stated.qualifier,
        stated.value_as_published,
        stated.basis,
        stated.section,
        stated.quote,
        reports.document_path,
        reports.document_sha256,
        reports.attribution

    from stated
    inner join reports
        on stated.report_id = reports.report_id

)

{{ select_with_market() }}
