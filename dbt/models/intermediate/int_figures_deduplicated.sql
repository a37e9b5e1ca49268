-- One row per figure key (report, metric, dimension, segment, region, year or period, unit,
-- qualifier: the two ends of a printed range "5%-15%" are two figures).
-- A report may state the same figure twice (the 24chemicalresearch FAQ repeats its headline
-- numbers); both source figure ids are kept. Disagreeing restatements are caught by the
-- `restatements_agree` test on this model, never averaged away.
with

figures as (

    select * from {{ ref('int_figures_normalized') }}

),

deduplicated as (

    select
        report_id,
        metric,
        dimension,
        segment_key,
        region_key,
        figure_year,
        period_start_year,
        period_end_year,
        unit_key,
        quantity,
        currency,
        min(value) as value,
        max(value) as value_max,
        qualifier,
        min(figure_id) as first_figure_id,
        count(*) as statement_count,
        {{ dbt.listagg("figure_id", "','", "order by figure_id") }} as source_figure_ids,
        {{ dbt.bool_or("is_forecast") }} as is_forecast

    from figures
    group by
        report_id,
        metric,
        dimension,
        segment_key,
        region_key,
        figure_year,
        period_start_year,
        period_end_year,
        unit_key,
        quantity,
        currency,
        qualifier

)

select * from deduplicated
