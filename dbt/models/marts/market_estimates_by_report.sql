-- One row per report estimate that market_estimates_compared sets side by side (the long form of its
-- wide summary): a level or share a report states or derives for a year, with the estimate's vintage
-- beside it. A report publishes actuals up to its base year and forecasts after it, so QY's 2024 value
-- (a forecast from base year 2020) is never read as if it stood level with 24chem's 2024 actual. A
-- qualified estimate ("more than 750 GWh") stands with its qualifier and the interval it stands for.
-- Every edition of a series keeps its rows, each with its series, edition label, publication date as
-- printed and whether it is the current edition of its series or a superseded one (older figures are
-- served, never deleted); comparisons take the current edition only.

with

figures as (

    select * from {{ ref('market_figures') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

markets as (

    select * from {{ ref('stg_reports__markets') }}

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

),

final as (

    select
        reports.market as market_key,
        markets.market_name,
        figures.metric,
        figures.dimension,
        figures.segment_key,
        figures.region_key,
        figures.figure_year,
        figures.figure_date,
        figures.unit_key,
        figures.unit_name,
        figures.report_id,
        reports.publisher_label,
        reports.date_published,
        reports.base_year as report_base_year,
        figures.is_forecast,
        case when figures.is_forecast then 'forecast' else 'actual' end as estimate_vintage,
        figures.value,
        figures.qualifier,
        figures.value_low,
        figures.value_high,
        figures.basis,
        metrics.metric_kind,
        metrics.metric_series,
        figures.source_figure_ids,
        figures.metric_name,
        figures.region_name,
        case when figures.basis = 'derived' then 'derived' else 'reported' end as value_kind,
        figures.value_decimals,
        reports.scope_quote,
        reports.series_id,
        reports.edition,
        reports.date_published_printed,
        reports.date_published_precision,
        editions.edition_number,
        editions.is_current_edition,
        editions.edition_status,
        editions.report_label

    from figures
    inner join reports
        on figures.report_id = reports.report_id
    inner join metrics
        on figures.metric = metrics.metric
    left join markets
        on reports.market = markets.market
    left join editions
        on figures.report_id = editions.report_id
    -- levels (market value, volume, any other level) and shares are estimates one can set side by side
    where {{ changed_markets_condition('reports.market') }}
        and figures.basis in ('reported', 'derived')
        and metrics.metric_kind in ('level', 'share')
        and figures.figure_year is not null
        and figures.value is not null

)

select * from final
