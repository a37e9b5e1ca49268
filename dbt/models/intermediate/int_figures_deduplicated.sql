-- A report may state the same figure twice (the 24chemicalresearch FAQ repeats its headline numbers;
-- "exceed 614.1 GWh in 2030" and "reach 614.1 GWh by 2030"): one figure, every source figure id kept,
-- its qualifiers joined, and its interval the intersection of its statements' intervals (both say
-- something true of the one value). Two statements of different values for one figure from two quotes
-- are the publisher's contradiction: the figure is left out here, so no value mart serves a number the
-- warehouse would have to choose, and audits.audit_figure_contradictions shows both (the validator
-- refuses one quote stating two values: a curator's slip).
with

figures as (

    select * from {{ ref('int_figures_normalized') }}
    -- a figure the document cites from another publisher is that publisher's estimate
    -- (marts.cited_estimates), never part of the citing report's series, totals or audits
    where cited_publisher is null

),

-- the first statement of each of a figure's qualifiers, so a figure stated "about" twice says it once
stated as (

    select
        figures.*,
        row_number() over (
            partition by {{ figure_key('figures') }}, figures.unit_key, figures.qualifier
            order by figures.figure_id
        ) = 1 as is_first_of_qualifier
    from figures

),

grouped as (

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
        max(range_high) as range_high,
        -- the intersection of the statements' intervals (null: no statement bounds that side)
        max(value_low) as value_low,
        min(value_high) as value_high,
        coalesce({{ dbt.listagg(
            "case when is_first_of_qualifier and qualifier <> '' then qualifier end", "'; '", "order by qualifier"
        ) }}, '') as qualifier,
        min(figure_id) as first_figure_id,
        count(*) as statement_count,
        {{ dbt.listagg("figure_id", "','", "order by figure_id") }} as source_figure_ids,
        {{ dbt.bool_or("is_forecast") }} as is_forecast,
        -- a rate stated twice keeps the likeliest source of its period: printed, then
        -- report_forecast_period, then section (their order as text)
        min(period_source) as period_source

    from stated
    group by
        {{ figure_key() }},
        metric_kind,
        metric_series,
        is_market_size,
        unit_key,
        quantity,
        currency

),

final as (

    select
        {{ figure_key('grouped') }},
        grouped.metric_kind,
        grouped.metric_series,
        grouped.is_market_size,
        grouped.unit_key,
        grouped.quantity,
        grouped.currency,
        grouped.value,
        grouped.value_max,
        grouped.qualifier,
        grouped.first_figure_id,
        grouped.statement_count,
        grouped.source_figure_ids,
        grouped.is_forecast,
        grouped.range_high,
        grouped.value_low,
        grouped.value_high,
        grouped.period_source

    from grouped
    -- restatements agree up to the noise of converting units; beyond it they are two values
    where abs(grouped.value_max - grouped.value) <= 1e-9 * greatest(abs(grouped.value_max), 1)

)

select * from final {{ changed_reports_only() }}
