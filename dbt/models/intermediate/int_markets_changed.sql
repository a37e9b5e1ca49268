{#- Which markets an incremental build rebuilds (the models that mix reports but never markets:
    dbt/macros/incremental.sql): each market's fingerprint (md5 of what its rows can read besides the
    definitions: the input fingerprint of each of its reports and of every other edition of their series,
    those editions' order and labels, the acknowledgements of findings on its reports) against the
    fingerprint this model held in the build the candidate was copied from ({{ this }}, read before it is
    replaced). A report added, changed, removed or moved to another market changes its market (both, when
    it moved); a market without reports any more is changed; in a fresh candidate every market is. -#}
{%- set previous = adapter.get_relation(this.database, this.schema, this.identifier) if execute else none -%}
with

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

report_fingerprints as (

    select * from {{ ref('int_reports_changed') }}
    where fingerprint is not null

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

),

-- the reports a market's rows read: its own, and every edition of a series one of them belongs to (a
-- superseded edition names its successor; an edition's label is unique among all editions)
market_reports as (

    select
        market as market_key,
        report_id

    from reports

    union

    select
        reports.market as market_key,
        series_editions.report_id

    from reports
    inner join editions
        on reports.report_id = editions.report_id
    inner join editions as series_editions
        on editions.series_id = series_editions.series_id

),

report_rows as (

    select
        report_id,
        {{ dbt.concat(["'report|'", 'fingerprint']) }} as row_text
    from report_fingerprints
    union all
    {{ report_rows_as_text(ref('int_report_editions_ordered'), 'edition') }}
    union all
    {{ report_rows_as_text(ref('stg_reports__finding_acknowledgements'), 'acknowledgement') }}

),

fingerprints as (

    select
        market_reports.market_key,
        {{ dbt.hash(listagg(
            dbt.concat(['market_reports.report_id', "'|'", 'report_rows.row_text']),
            "'\n'",
            'order by market_reports.report_id, report_rows.row_text'
        )) }} as fingerprint
    from market_reports
    inner join report_rows
        on market_reports.report_id = report_rows.report_id
    group by market_reports.market_key

),

{{ fingerprint_changes(previous, 'market_key') }}

select * from final
