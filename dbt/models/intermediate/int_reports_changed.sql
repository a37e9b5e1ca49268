{#- Which reports an incremental build rebuilds: each report's fingerprint (md5 of the sorted md5s of its
    own input rows: its seeds/reports.csv row with its document's sha256, its figures, its claims)
    against the fingerprint this model held in the build the candidate was copied from ({{ this }}, read before it is
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

-- each row hashed first: the ordered aggregate below then holds 32 characters a row, not the row (at
-- 10,000 reports the rows' own text, ~2 M rows, did not fit the build's 1 GB memory limit)
row_hashes as (

    select
        report_id,
        {{ dbt.hash('row_text') }} as row_hash
    from report_rows

),

fingerprints as (

    select
        report_id,
        {{ dbt.hash(listagg('row_hash', "'\n'", 'order by row_hash')) }} as fingerprint
    from row_hashes
    group by report_id

),

{{ fingerprint_changes(previous, 'report_id') }}

select * from final
