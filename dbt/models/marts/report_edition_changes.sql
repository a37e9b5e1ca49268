-- A new edition is a new report row beside the old one; old figures are never edited in place, so
-- this is where a BI user sees how a publisher revised its numbers.
with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

editions as (

    select
        report_id,
        series_id,
        edition,
        row_number() over (
            partition by series_id
            order by base_year, date_published, report_id
        ) as edition_number

    from reports

),

pairs as (

    select
        newer.series_id,
        older.report_id as older_report_id,
        older.edition as older_edition,
        newer.report_id as newer_report_id,
        newer.edition as newer_edition

    from editions as newer
    inner join editions as older
        on newer.series_id = older.series_id
        and newer.edition_number = older.edition_number + 1

),

keyed as (

    select
        figures.*,
        {{ dbt.concat([
            "metric", "'|'", "dimension", "'|'", "segment_key", "'|'", "region_key", "'|'",
            "coalesce(" ~ as_text("figure_year") ~ ", '')", "'|'",
            "coalesce(" ~ as_text("period_start_year") ~ ", '')", "'-'",
            "coalesce(" ~ as_text("period_end_year") ~ ", '')", "'|'",
            "unit_key", "'|'", "qualifier",
        ]) }} as figure_key

    from figures

),

-- each figure of either edition of a pair, labelled with the side it stands on
sides as (

    select
        pairs.*,
        case when keyed.report_id = pairs.older_report_id then 'older' else 'newer' end as side,
        keyed.figure_key,
        keyed.metric,
        keyed.dimension,
        keyed.segment_key,
        keyed.region_key,
        keyed.figure_year,
        keyed.period_start_year,
        keyed.period_end_year,
        keyed.unit_key,
        keyed.value,
        keyed.source_figure_ids

    from pairs
    inner join keyed
        on keyed.report_id in (pairs.older_report_id, pairs.newer_report_id)

),

older_side as (

    select * from sides
    where side = 'older'

),

newer_side as (

    select * from sides
    where side = 'newer'

),

final as (

    select
        coalesce(newer_side.series_id, older_side.series_id) as series_id,
        coalesce(newer_side.older_report_id, older_side.older_report_id) as older_report_id,
        coalesce(newer_side.older_edition, older_side.older_edition) as older_edition,
        coalesce(newer_side.newer_report_id, older_side.newer_report_id) as newer_report_id,
        coalesce(newer_side.newer_edition, older_side.newer_edition) as newer_edition,
        coalesce(newer_side.figure_key, older_side.figure_key) as figure_key,
        coalesce(newer_side.metric, older_side.metric) as metric,
        coalesce(newer_side.dimension, older_side.dimension) as dimension,
        coalesce(newer_side.segment_key, older_side.segment_key) as segment_key,
        coalesce(newer_side.region_key, older_side.region_key) as region_key,
        coalesce(newer_side.figure_year, older_side.figure_year) as figure_year,
        coalesce(newer_side.period_start_year, older_side.period_start_year) as period_start_year,
        coalesce(newer_side.period_end_year, older_side.period_end_year) as period_end_year,
        coalesce(newer_side.unit_key, older_side.unit_key) as unit_key,
        older_side.value as older_value,
        newer_side.value as newer_value,
        newer_side.value - older_side.value as value_change,
        (newer_side.value - older_side.value) / nullif(older_side.value, 0) * 100 as value_change_pct,
        case
            when older_side.figure_key is null then 'added'
            when newer_side.figure_key is null then 'removed'
            when newer_side.value = older_side.value then 'unchanged'
            else 'changed'
        end as change_status,
        older_side.source_figure_ids as older_figure_ids,
        newer_side.source_figure_ids as newer_figure_ids

    from newer_side
    full outer join older_side
        on newer_side.series_id = older_side.series_id
        and newer_side.newer_report_id = older_side.newer_report_id
        and newer_side.figure_key = older_side.figure_key

)

select * from final
