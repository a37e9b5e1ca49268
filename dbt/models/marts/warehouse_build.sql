{#- The build stamp: which refresh built this warehouse, from which commit and report documents. The
    refresh sets the environment variables when it runs dbt (marketwh/warehouse/engine.py); dbt run by
    hand stamps 'manual'. Environment variables, not --vars: a changed var forces dbt to parse the
    whole project again, a changed environment variable only the models that read it. -#}
with

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

-- JSON object report_id -> sha256, keys sorted: the documents the validator checked the figures
-- against (a refresh is never published when a document differs from its recorded sha256)
report_hashes as (

    select
        {{ dbt.concat([
            "'{'",
            "coalesce(" ~ listagg(
                dbt.concat(["'\"'", "report_id", "'\": \"'", "document_sha256", "'\"'"]),
                "', '",
                "order by report_id"
            ) ~ ", '')",
            "'}'",
        ]) }} as report_hashes
    from reports

),

-- JSON object report_id -> md5 of the sorted md5s of the report's own input rows (its reports,
-- report_figures and report_claims rows, the reports row holding its document's sha256;
-- int_reports_changed): the publish guard compares a served report's fingerprint with the
-- candidate's, so a served value of a report whose inputs did not change may change only when the
-- refresh says the vocabulary changed on purpose
fingerprints as (

    select
        report_id,
        fingerprint
    from {{ ref('int_reports_changed') }}
    where fingerprint is not null

),

report_input_fingerprints as (

    select
        {{ dbt.concat([
            "'{'",
            "coalesce(" ~ listagg(
                dbt.concat(["'\"'", "report_id", "'\": \"'", "fingerprint", "'\"'"]),
                "', '",
                "order by report_id"
            ) ~ ", '')",
            "'}'",
        ]) }} as report_input_fingerprints
    from fingerprints

),

final as (

    select
        {{ as_text("'" ~ dbt.escape_single_quotes(env_var('MARKETWH_RUN_ID', 'manual')) ~ "'") }} as run_id,
        {{ as_text("'" ~ dbt.escape_single_quotes(env_var('MARKETWH_GIT_COMMIT', 'unknown')) ~ "'") }} as git_commit,
        {{ build_timestamp() }} as built_at,
        {{ as_text('report_hashes.report_hashes') }} as report_hashes,
        {{ engine_library_version() }} as duckdb_version,
        {{ storage_compatibility_version() }} as storage_compatibility_version,
        {{ as_text("'" ~ target.type ~ "'") }} as engine,
        {{ as_text("nullif('" ~ dbt.escape_single_quotes(env_var('MARKETWH_BUILD_ID', '')) ~ "', '')") }} as build_id,
        {{ as_text('report_input_fingerprints.report_input_fingerprints') }} as report_input_fingerprints,
        {{ 'true' if env_var('MARKETWH_ACCEPT_VOCABULARY_CHANGE', '') == 'true' else 'false' }} as accepted_vocabulary_change,
        {{ as_text(
            "nullif('" ~ dbt.escape_single_quotes(env_var('MARKETWH_DEFINITIONS_DIGEST', '')) ~ "', '')"
        ) }} as definitions_digest,
        {{ as_text("'" ~ ('incremental' if incremental_build_mode() else 'full') ~ "'") }} as build_mode
    from report_hashes
    cross join report_input_fingerprints

)

select * from final
