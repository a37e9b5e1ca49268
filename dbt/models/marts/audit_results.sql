{#- One row per audit rule of this build: its suite, severity, how many rows it checked, how many failed,
    and the outcome the Great Expectations gate acts on. The failing rows are in report_findings. -#}
with

rules as (

    select * from {{ ref('audit_rules') }}

),

verdicts as (

    select * from {{ ref('audit_verdicts') }}

),

findings as (

    select * from {{ ref('report_findings') }}

),

checked as (

    select
        rule,
        count(*) as rows_checked,
        sum(case when holds then 0 else 1 end) as failing_row_count
    from verdicts
    group by rule

),

found as (

    select
        rule,
        sum(case when status = 'open' then 1 else 0 end) as open_finding_count,
        sum(case when status = 'acknowledged' then 1 else 0 end) as acknowledged_finding_count
    from findings
    group by rule

),

final as (

    select
        rules.suite,
        rules.rule as check_name,
        rules.rule_sentence as rule,
        case when rules.severity = 'blocking' then 'error' else 'warn' end as severity,
        case
            when coalesce(checked.failing_row_count, 0) = 0 then 'passed'
            when rules.severity <> 'blocking' then 'warned'
            when coalesce(found.open_finding_count, 0) = 0 then 'acknowledged'
            else 'failed'
        end as outcome,
        cast(coalesce(checked.rows_checked, 0) as integer) as rows_checked,
        cast(coalesce(checked.failing_row_count, 0) as integer) as failing_row_count,
        cast(coalesce(found.open_finding_count, 0) as integer) as open_finding_count,
        cast(coalesce(found.acknowledged_finding_count, 0) as integer) as acknowledged_finding_count,
        coalesce(checked.failing_row_count, 0) = 0 as holds,
        rules.audit_view,
        rules.rule_order
    from rules
    left join checked
        on rules.rule = checked.rule
    left join found
        on rules.rule = found.rule

)

select * from final
