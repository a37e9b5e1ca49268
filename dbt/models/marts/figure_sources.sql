-- market_figures.source_figure_ids points here, so every number traces to a quote. One row per quote:
-- a figure the report states twice ("exceed 614.1 GWh", "reach 614.1 GWh") has two rows, each with its
-- own qualifier and wording, pointing at the one market_figures row (whose qualifier joins theirs).
with

figures as (

    select * from {{ ref('int_figures_normalized') }}

),

deduplicated as (

    select * from {{ ref('int_figures_deduplicated') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

-- each statement with the first figure id of its figure key, which names the deduplicated figure
with_figure as (

    select
        figures.*,
        min(figures.figure_id) over (
            partition by {{ figure_key('figures') }}, figures.unit_key
        ) as key_first_figure_id

    from figures

),

keyed as (

    -- each stated figure with the key and qualifiers of the market_figures row that holds its value
    -- (the qualifiers of all its statements). A figure whose quotes state two values has no such row
    -- (audit_figure_contradictions): its id is made from its own qualifier, and is_contradicted says so
    select
        {{ figure_key('with_figure') }},
        with_figure.figure_id,
        coalesce(deduplicated.qualifier, with_figure.qualifier) as qualifier,
        deduplicated.first_figure_id is null as is_contradicted

    from with_figure
    left join deduplicated
        on with_figure.key_first_figure_id = deduplicated.first_figure_id

),

stated as (

    select
        figures.*,
        {{ market_figure_id('keyed') }} as market_figure_id,
        keyed.is_contradicted

    from figures
    inner join keyed
        on figures.figure_id = keyed.figure_id

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
        stated.period_source,
        reports.document_path,
        reports.document_sha256,
        reports.attribution,
        stated.range_high_as_stated as range_high,
        stated.is_contradicted

    from stated
    inner join reports
        on stated.report_id = reports.report_id
    -- another publisher's figure quoted by the document: marts.cited_estimates
    where stated.cited_publisher is null

),

with_market as (

    {{ select_with_market() }}

),

-- words and display precision, after the columns the mart has always had
described as (

    select
        with_market.*,
        metrics.metric_name,
        region_names.region_name,
        figure_decimals.stated_decimals as value_decimals

    from with_market
    left join {{ ref('stg_reports__metrics') }} as metrics
        on with_market.metric = metrics.metric
    left join {{ ref('int_region_names') }} as region_names
        on with_market.region_key = region_names.region_key
    left join {{ ref('int_figure_decimals') }} as figure_decimals
        on with_market.figure_id = figure_decimals.figure_id

)

select * from described {{ changed_reports_only() }}
