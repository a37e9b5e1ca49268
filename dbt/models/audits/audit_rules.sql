{#- The audit rules, one row each: the suite that gates on it, how severe a failure is, what must
    hold, in one sentence, and the sentence a finding of it reads as (report_findings.finding_text), with
    placeholders filled per finding: {publisher} {subject} {metric} {dimension} {region} {year} {unit}
    {stated} {compared} (numbers by the display rule) {stated_amount} {compared_amount} (with their unit). The audit views judge the rows (one view per family); the Great
    Expectations suites (expectations/suites.py) block publishing on their open blocking findings. -#}
{% set rules = [
    ('complete_split_sums_to_100', 'shares', 'blocking', 'audit_split_sums',
        'where every segment a report lists has a reported share, the shares sum to 100 within share_sum_tolerance',
        "{publisher}'s shares by {dimension} sum to {stated} % in {year}, not 100 %."),
    ('partial_split_at_most_100', 'shares', 'blocking', 'audit_split_sums',
        'a partial split (some listed segments without a share) sums to no more than 100 + share_sum_tolerance',
        "{publisher}'s shares by {dimension} sum to {stated} % in {year}, more than 100 % though some segments have no share."),
    ('yoy_growth_within_bounds', 'growth', 'blocking', 'audit_yoy_growth_bounds',
        'year-on-year growth (stated or derived) lies between yoy_growth_min and yoy_growth_max percent',
        "{publisher}'s {metric} of {subject} is {stated} % in {year}, beyond the plausible year-on-year range."),
    ('cagr_within_bounds', 'growth', 'blocking', 'audit_cagr_bounds',
        'every stated and implied CAGR lies between cagr_min and cagr_max percent',
        "{publisher}'s {metric} of {subject} is {stated} % a year, beyond the plausible range."),
    ('stated_cagr_matches_implied', 'growth', 'blocking', 'audit_cagr_stated_vs_implied',
        "a stated growth rate agrees with the rate implied by the report's own values of the same series, over the stated "
        ~ 'period when both its ends are reported (else the nearest reported span), within cagr_tolerance points',
        '{publisher} states {stated} % a year for {subject}; its own values imply {compared} %.'),
    ('segment_growth_matches_shares', 'growth', 'advisory', 'audit_cagr_stated_vs_implied',
        "advisory: a segment's stated growth agrees with the growth implied by its reported shares and the reported "
        ~ "totals within segment_growth_tolerance points (a disagreement is the report's, flagged, not fixed)",
        '{publisher} states {stated} % a year for {subject}; its own shares and totals imply {compared} %.'),
    ('stated_growth_not_contradicted_by_values', 'growth', 'blocking', 'audit_growth_against_falls',
        'where a report states positive growth, its own consecutive reported values of that series do not fall at or '
        ~ 'inside the stated period (a fall is the report contradicting itself: both numbers are shown)',
        '{publisher} states growth of {stated} % a year for {subject}, yet its own values change by {compared} % up to {year}.'),
    ('ranking_claims_hold', 'growth', 'blocking', 'audit_ranking_claims',
        "a ranking claim (e.g. 'Asia-Pacific dominates') matches the order of the shares wherever shares for that "
        ~ 'dimension exist',
        '{publisher} ranks {subject} number {stated} in {year}; its own shares rank it number {compared}.'),
    ('one_value_per_figure', 'figures', 'blocking', 'audit_figure_contradictions',
        'a document states one value for each figure: two of its quotes stating different values for one figure '
        ~ "are the publisher's contradiction, shown with both values and quotes and served by no value mart",
        '{publisher} prints the {year} {metric} of {subject} as {stated_amount} and as {compared_amount}.'),
    ('outlier_vs_consensus', 'figures', 'advisory', 'audit_outlier_vs_consensus',
        "advisory: a reported estimate lies within outlier_vs_consensus_factor times the range of the other publishers' "
        ~ 'estimates of the same market, geography, unit and year (judged where at least outlier_vs_consensus_min_others '
        ~ "others exist, on the intervals the printed numbers stand for); an outlier counts in the consensus until a person "
        ~ "acknowledges it as the publisher's error",
        "{publisher} puts the {year} {metric} of {subject} ({region}) at {stated_amount}, far outside the other "
        ~ "publishers' estimates (their median: {compared_amount})."),
] %}

with

rules as (
    {% for rule, suite, severity, audit_view, rule_sentence, sentence in rules %}
        select
            '{{ rule }}' as rule,
            '{{ suite }}' as suite,
            '{{ severity }}' as severity,
            '{{ audit_view }}' as audit_view,
            '{{ dbt.escape_single_quotes(rule_sentence) }}' as rule_sentence,
            {{ loop.index }} as rule_order,
            '{{ dbt.escape_single_quotes(sentence) }}' as sentence
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        {{ as_text('rule') }} as rule,
        {{ as_text('suite') }} as suite,
        {{ as_text('severity') }} as severity,
        {{ as_text('audit_view') }} as audit_view,
        {{ as_text('rule_sentence') }} as rule_sentence,
        cast(rule_order as integer) as rule_order,
        {{ as_text('sentence') }} as sentence
    from rules

)

select * from final
