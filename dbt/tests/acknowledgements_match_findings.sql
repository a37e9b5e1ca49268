{#- Every acknowledgement matches a finding of this build. A stale one (the report or the rule changed,
    or the key was mistyped) fails the build: remove its row from seeds/finding_acknowledgements.csv.
    Shown in Dagster as the blocking check acknowledgements_match_findings on the seed (it reads the
    seed itself, so dagster-dbt attaches it there). -#}
{{ config(meta={
    'dagster': {'ref': {'name': 'finding_acknowledgements'}},
    'validator_rule': ['finding_key_report', 'unknown_report', 'bad_identifier'],
}) }}

select
    acknowledgements.finding_key,
    acknowledgements.report_id,
    'matches no finding of this build any more: remove the row from seeds/finding_acknowledgements.csv' as problem
from {{ ref('finding_acknowledgements') }} as acknowledgements
left join {{ ref('report_findings') }} as findings
    on acknowledgements.finding_key = findings.finding_key
where findings.finding_key is null
