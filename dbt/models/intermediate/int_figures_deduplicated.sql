-- A report may state the same figure twice (the 24chemicalresearch FAQ repeats its headline
-- numbers); both source figure ids are kept. Disagreeing restatements never get here: the
-- validator refuses them (contradictory_figures) before dbt runs, so nothing is averaged away.
with

figures as (

    select * from {{ ref('int_figures_normalized') }}

),

final as (

    select
        {{ figure_key() }},
        metric_kind,
        metric_series,
        is_market_size,
        unit_key,
        quantity,
        currency,
        min(value) as value,
        max(value) as value_max,
        qualifier,
        min(figure_id) as first_figure_id,
        count(*) as statement_count,
        {{ dbt.listagg("figure_id", "','", "order by figure_id") }} as source_figure_ids,
        {{ dbt.bool_or("is_forecast") }} as is_forecast,
        -- a rate stated twice keeps the likeliest source of its period: printed, then
        -- report_forecast_period, then section (their order as text)
        min(period_source) as period_source

    from figures
    -- a figure the document cites from another publisher is that publisher's estimate
    -- (marts.cited_estimates), never part of the citing report's series, totals or audits
    where cited_publisher is null
    group by
        {{ figure_key() }},
        metric_kind,
        metric_series,
        is_market_size,
        unit_key,
        quantity,
        currency,
        qualifier

)

select * from final
