-- Every estimate a consensus may count (market_estimates_by_report: a level or share a report states
-- or derives for a year), of every edition, with what the consensus marts need beside it: when its
-- edition speaks for its series (current_from .. current_until, int_report_editions_ordered), the date
-- its age is counted from, the key of its outlier finding (audits.audit_outlier_vs_consensus), and
-- whether a person acknowledged that finding as the publisher's error (seeds/finding_acknowledgements.csv),
-- which alone takes an estimate out of a consensus. Values are already in their quantity's mart unit
-- (US$ million and US$ billion figures both in usd_bn: int_figures_normalized scales them by the unit
-- seed's multipliers); a currency is never converted (no exchange rate).
{% set estimate_key_parts = [] %}
{% for column in ['metric', 'dimension', 'segment_key', 'region_key', 'figure_year', 'unit_key'] %}
    {% do estimate_key_parts.append(as_text('estimates.' ~ column)) %}
    {% if not loop.last %}{% do estimate_key_parts.append("'/'") %}{% endif %}
{% endfor %}

with

estimates as (

    select * from {{ ref('market_estimates_by_report') }}

),

editions as (

    select * from {{ ref('int_report_editions_ordered') }}

),

units as (

    select * from {{ ref('stg_reports__units') }}

),

acknowledgements as (

    select * from {{ ref('stg_reports__finding_acknowledgements') }}

),

keyed as (

    select
        estimates.*,
        {{ dbt.concat(estimate_key_parts) }} as estimate_key,
        {{ dbt.concat(["'outlier_vs_consensus:'", "estimates.report_id", "':'"] + estimate_key_parts) }} as outlier_finding_key,
        editions.current_from,
        editions.current_until,
        -- an estimate is as old as its edition's publication (the last day its printed date can mean);
        -- a document that prints no date is at least as old as the end of its base year
        coalesce(
            editions.published_last,
            cast({{ dbt.concat([as_text('estimates.report_base_year'), "'-12-31'"]) }} as date)
        ) as estimate_dated_on,
        case
            when editions.published_last is not null then 'publication date'
            when estimates.report_base_year is not null then 'base year'
        end as estimate_dated_from,
        units.quantity,
        units.currency

    from estimates
    left join editions
        on estimates.report_id = editions.report_id
    left join units
        on estimates.unit_key = units.unit_key

),

-- the series of a report with an estimate a person acknowledged as the publisher's error: its derived
-- values (interpolated from, or resting on, the same printed numbers) leave the consensus with it
acknowledged_errors as (

    select distinct
        keyed.report_id,
        keyed.metric,
        keyed.dimension,
        keyed.segment_key,
        keyed.region_key,
        keyed.unit_key,
        keyed.outlier_finding_key

    from keyed
    inner join acknowledgements
        on keyed.outlier_finding_key = acknowledgements.finding_key
    where keyed.value_kind = 'reported'

),

series_errors as (

    select
        report_id,
        metric,
        dimension,
        segment_key,
        region_key,
        unit_key,
        min(outlier_finding_key) as error_finding_key

    from acknowledged_errors
    group by
        report_id,
        metric,
        dimension,
        segment_key,
        region_key,
        unit_key

),

final as (

    select
        keyed.market_key,
        keyed.market_name,
        keyed.metric,
        keyed.dimension,
        keyed.segment_key,
        keyed.region_key,
        keyed.figure_year,
        keyed.unit_key,
        keyed.unit_name,
        keyed.metric_name,
        keyed.region_name,
        keyed.metric_kind,
        keyed.metric_series,
        keyed.report_id,
        keyed.publisher_label,
        keyed.series_id,
        keyed.is_current_edition,
        keyed.report_base_year,
        keyed.value,
        keyed.qualifier,
        keyed.value_low,
        keyed.value_high,
        keyed.basis,
        keyed.value_kind,
        keyed.is_forecast,
        keyed.estimate_vintage,
        keyed.value_decimals,
        keyed.source_figure_ids,
        keyed.estimate_key,
        keyed.outlier_finding_key,
        keyed.current_from,
        keyed.current_until,
        keyed.estimate_dated_on,
        keyed.estimate_dated_from,
        keyed.quantity,
        keyed.currency,
        case
            when own_error.outlier_finding_key is not null then own_error.outlier_finding_key
            when keyed.value_kind = 'derived' then series_errors.error_finding_key
        end as acknowledged_error_finding_key

    from keyed
    left join acknowledged_errors as own_error
        on keyed.outlier_finding_key = own_error.outlier_finding_key
    left join series_errors
        on keyed.report_id = series_errors.report_id
        and keyed.metric = series_errors.metric
        and keyed.dimension = series_errors.dimension
        and keyed.segment_key = series_errors.segment_key
        and keyed.region_key = series_errors.region_key
        and keyed.unit_key = series_errors.unit_key

)

select * from final
