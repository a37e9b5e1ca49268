{#- Which reports an incremental build rebuilds: each report's fingerprint (md5 of its own input rows:
    its seeds/reports.csv row with its document's sha256, its figures, its claims) against the
    fingerprint this model held in the build the candidate was copied from ({{ this }}, read before it is
    replaced). A report added, changed or removed is changed; in a fresh candidate every report is. -#}
{%- set previous = adapter.get_relation(this.database, this.schema, this.identifier) if execute else none -%}
with

report_rows as (

    {{ report_rows_as_text(ref('stg_reports__reports'), 'report') }}
    union all
    {{ report_rows_as_text(ref('stg_reports__figures'), 'figure') }}
    union all
    {{ report_rows_as_text(ref('stg_reports__claims'), 'claim') }}

),

fingerprints as (

    select
        report_id,
        {{ dbt.hash(listagg('row_text', "'\n'", 'order by row_text')) }} as fingerprint
    from report_rows
    group by report_id

),

{{ fingerprint_changes(previous, 'report_id') }}

select * from final
