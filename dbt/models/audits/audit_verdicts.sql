{#- Every audited row of every rule family, with its verdict, in one shape: what report_findings
    (the rows that do not hold) and audit_results (one row per rule) are made of. On Spark a table: a
    view there judges every rule again on each read (both marts, its data tests, the publish guard's
    coverage read, a reader of the served build), each a query over all eight audit views. DuckDB keeps
    the view: at 10,000 reports each read judges the 4.39 M rows again (11-32 s a reader in a refresh),
    but writing them as a table cost the same CPU in all and grew the file from 1.8 to 2.9 GB
    (docs/scale.md). -#}
{{ config(materialized="table" if target.type == "spark" else "view") }}
{% set families = [
    'audit_split_sums', 'audit_yoy_growth_bounds', 'audit_cagr_bounds', 'audit_cagr_stated_vs_implied',
    'audit_growth_against_falls', 'audit_ranking_claims', 'audit_figure_contradictions', 'audit_outlier_vs_consensus',
] %}
{% set verdict_columns = [
    'rule', 'report_id', 'subject', 'finding_key', 'severity', 'holds', 'stated_value', 'compared_value', 'tolerance',
    'lower_bound', 'upper_bound', 'message', 'finding_metric', 'finding_dimension', 'finding_segment_key',
    'finding_region_key', 'finding_year', 'finding_unit_key', 'stated_decimals', 'compared_decimals',
] %}

with

verdicts as (
    {% for family in families %}
        select
            {{ column_list(verdict_columns) }},
            '{{ family }}' as audit_view
        from {{ ref(family) }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        {{ column_list(verdict_columns) }},
        {{ as_text('audit_view') }} as audit_view
    from verdicts

)

select * from final
