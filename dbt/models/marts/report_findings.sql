{#- The findings of this build: every audited row that does not hold (audits.audit_verdicts), one per
    finding key, with its acknowledgement (seeds/finding_acknowledgements.csv) if a person gave one.
    Several rows of a rule may share a key (a stated rate compared in two units): the finding shows
    the first by its message, so the same build always shows the same row. -#}
with

verdicts as (

    select * from {{ ref('audit_verdicts') }}

),

acknowledgements as (

    select * from {{ ref('stg_reports__finding_acknowledgements') }}

),

rules as (

    select * from {{ ref('audit_rules') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

display as (

    {{ display_thresholds() }}

),

failing as (

    select
        *,
        row_number() over (partition by finding_key order by message) as row_of_key
    from verdicts
    where not holds

),

final as (

    select
        failing.finding_key,
        failing.rule,
        failing.severity,
        failing.report_id,
        failing.subject,
        failing.stated_value,
        failing.compared_value,
        failing.message,
        case when acknowledgements.finding_key is null then 'open' else 'acknowledged' end as status,
        acknowledgements.acknowledgement_reason,
        acknowledgements.acknowledged_by,
        {{ as_text('acknowledgements.acknowledged_on') }} as acknowledged_on,
        -- the rule's sentence (audit_rules.sentence) with this finding's words and numbers
        {{ fill_placeholders('rules.sentence', {
            'publisher': "coalesce(reports.publisher_label, failing.report_id, 'every report')",
            'subject': 'failing.subject',
            'stated': display_number('failing.stated_value', 'display.rate_display_decimals'),
            'compared': display_number('failing.compared_value', 'display.rate_display_decimals'),
            'unit': "''",
            'year': "''",
        }) }} as finding_text
    from failing
    inner join rules
        on failing.rule = rules.rule
    left join reports
        on failing.report_id = reports.report_id
    left join acknowledgements
        on failing.finding_key = acknowledgements.finding_key
    cross join display
    where failing.row_of_key = 1

)

{{ select_with_market() }}
