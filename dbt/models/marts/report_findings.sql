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

-- the words a finding's sentence is written with, from the seeds' display names
words as (

    select
        verdicts.finding_key,
        coalesce(reports.publisher_label, verdicts.report_id, 'every report') as publisher_words,
        case
            when verdicts.finding_segment_key is null or verdicts.finding_segment_key = 'total'
                then {{ dbt.concat(["'the '", "coalesce(markets.market_name, reports.market, 'whole')", "' market'"]) }}
            else {{ dbt.concat(["'the '", "coalesce(segments.segment_name, verdicts.finding_segment_key)", "' segment'"]) }}
        end as subject_words,
        -- a name is lowercased inside a sentence unless it is an acronym (CAGR)
        case when metrics.metric_name = upper(metrics.metric_name) then metrics.metric_name else lower(metrics.metric_name) end
            as metric_words,
        lower(dimensions.dimension_name) as dimension_words,
        region_names.region_name as region_words,
        {{ as_text('verdicts.finding_year') }} as year_words,
        units.unit_name as unit_words,
        {{ display_number('verdicts.stated_value', 'coalesce(verdicts.stated_decimals, display.rate_display_decimals)') }}
            as stated_number,
        {{ display_number('verdicts.compared_value', 'coalesce(verdicts.compared_decimals, display.rate_display_decimals)') }}
            as compared_number,
        units.unit_key,
        units.currency

    from failing as verdicts
    cross join display
    left join reports
        on verdicts.report_id = reports.report_id
    left join {{ ref('stg_reports__markets') }} as markets
        on reports.market = markets.market
    left join {{ ref('stg_reports__segments') }} as segments
        on verdicts.finding_dimension = segments.dimension
        and verdicts.finding_segment_key = segments.segment_key
    left join {{ ref('stg_reports__metrics') }} as metrics
        on verdicts.finding_metric = metrics.metric
    left join {{ ref('stg_reports__dimensions') }} as dimensions
        on verdicts.finding_dimension = dimensions.dimension
    left join {{ ref('int_region_names') }} as region_names
        on verdicts.finding_region_key = region_names.region_key
    left join {{ ref('stg_reports__units') }} as units
        on verdicts.finding_unit_key = units.unit_key
    where verdicts.row_of_key = 1

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
            'publisher': 'words.publisher_words',
            'subject': 'words.subject_words',
            'metric': 'words.metric_words',
            'dimension': 'words.dimension_words',
            'region': 'words.region_words',
            'year': 'words.year_words',
            'unit': 'words.unit_words',
            'stated_amount': amount_text('words.stated_number', 'words.unit_words', 'words.unit_key', 'words.currency'),
            'compared_amount': amount_text('words.compared_number', 'words.unit_words', 'words.unit_key', 'words.currency'),
            'stated': 'words.stated_number',
            'compared': 'words.compared_number',
        }) }} as finding_text
    from failing
    inner join rules
        on failing.rule = rules.rule
    inner join words
        on failing.finding_key = words.finding_key
    left join acknowledgements
        on failing.finding_key = acknowledgements.finding_key
    where failing.row_of_key = 1

)

{{ select_with_market() }}
