-- A new edition is a new report row beside the old one; old figures are never edited in place, so
-- this is where a BI user sees how a publisher revised its numbers.
-- Editions are compared figure by figure: the figure key without its report, in one unit, from each
-- edition to the next newer one in the order their documents give (int_report_editions_ordered: the
-- printed publication date, then the declared edition_sequence; never the report_id). A key the newer
-- edition does not print is 'not restated': the newer edition does not say, which is not a removal.
{% set edition_key = (figure_key_columns() | reject('equalto', 'report_id') | list) + ['unit_key'] %}

with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

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
        {{ dbt.concat(figure_key_text_parts(columns=edition_key + ['qualifier'])) }} as figure_key

    from figures

),

-- each figure of either edition of a pair, on its side: two equality joins (an `in (older, newer)`
-- join cannot use a hash join and grew with reports x figures: 68 s at 10,000 reports)
older_side as (

    select
        pairs.*,
        keyed.figure_key,
        {{ column_list(edition_key, 'keyed') }},
        keyed.value,
        keyed.source_figure_ids

    from pairs
    inner join keyed
        on pairs.older_report_id = keyed.report_id

),

newer_side as (

    select
        pairs.*,
        keyed.figure_key,
        {{ column_list(edition_key, 'keyed') }},
        keyed.value,
        keyed.source_figure_ids

    from pairs
    inner join keyed
        on pairs.newer_report_id = keyed.report_id

),

final as (

    select
        coalesce(newer_side.series_id, older_side.series_id) as series_id,
        coalesce(newer_side.older_report_id, older_side.older_report_id) as older_report_id,
        coalesce(newer_side.older_edition, older_side.older_edition) as older_edition,
        coalesce(newer_side.newer_report_id, older_side.newer_report_id) as newer_report_id,
        coalesce(newer_side.newer_edition, older_side.newer_edition) as newer_edition,
        {%- for column in ['figure_key'] + edition_key %}
            coalesce(newer_side.{{ column }}, older_side.{{ column }}) as {{ column }},
        {%- endfor %}
        {{ year_start('coalesce(newer_side.figure_year, older_side.figure_year)') }} as figure_date,
        older_side.value as older_value,
        newer_side.value as newer_value,
        newer_side.value - older_side.value as value_change,
        (newer_side.value - older_side.value) / nullif(older_side.value, 0) * 100 as value_change_pct,
        case
            when older_side.figure_key is null then 'added'
            when newer_side.figure_key is null then 'not restated'
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

{{ select_with_market(report_id='newer_report_id') }}
