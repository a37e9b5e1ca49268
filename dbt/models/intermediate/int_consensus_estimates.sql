-- Every estimate a consensus may count (market_estimates_by_report: a level or share a report states
-- or derives for a year), of every edition, with what the consensus marts need beside it: when its
-- edition speaks for its series (current_from .. current_until, int_report_editions_ordered), the date
-- its age is counted from, the key of its outlier finding (audits.audit_outlier_vs_consensus), and
-- whether a person acknowledged that finding as the publisher's error (seeds/finding_acknowledgements.csv),
-- which alone takes an estimate out of a consensus. Values are already in their quantity's mart unit
-- (US$ million and US$ billion figures both in usd_bn: int_figures_normalized scales them by the unit
-- seed's multipliers). A money estimate in another currency than the consensus currency (dbt var
-- consensus_currency: USD) is also entered converted, as a derived estimate beside its reported one,
-- when a curated exchange rate of its own year exists (int_exchange_rates: a rate a stored document
-- prints); the row names the rate, its sentence and its document. Without a rate for the year it stays
-- in its currency only: 'not compared: no exchange rate' (market_consensus_excluded).
{% set estimate_key_parts = [] %}
{% for column in ['metric', 'dimension', 'segment_key', 'region_key', 'figure_year', 'unit_key'] %}
    {% do estimate_key_parts.append(as_text('estimates.' ~ column)) %}
    {% if not loop.last %}{% do estimate_key_parts.append("'/'") %}{% endif %}
{% endfor %}

with

estimates as (

    select * from {{ ref('market_estimates_by_report') }}
    where {{ changed_markets_condition() }}

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

rates as (

    select * from {{ ref('int_exchange_rates') }}
    where to_currency = '{{ var("consensus_currency") }}'

),

display_thresholds as (

    {{ display_thresholds() }}

),

-- the unit a quantity is compared in, in the consensus currency: its mart unit (usd_bn for money)
target_units as (

    select * from units
    where currency = '{{ var("consensus_currency") }}'
        and unit_key = mart_unit

),

-- each unit of another currency, and the factor that takes a value in it to the consensus currency's
-- unit in a year with a curated rate (yuan billion to US$ billion in 2023: 1 / 7.0809)
conversion_factors as (

    select
        source_units.unit_key as from_unit_key,
        target_units.unit_key as to_unit_key,
        target_units.unit_name as to_unit_name,
        rates.rate_year,
        rates.factor * source_units.multiplier_to_base / target_units.multiplier_to_base as unit_factor,
        rates.rate_id,
        rates.rate as printed_rate,
        rates.base_currency,
        rates.quote_currency,
        rates.rate_quote,
        rates.document_publisher,
        rates.document_title

    from units as source_units
    inner join rates
        on source_units.currency = rates.from_currency
    inner join target_units
        on source_units.quantity = target_units.quantity

),

-- a money estimate in another currency, converted at the rate of its own year: derived, never replacing
-- the estimate as reported (which stays in its own currency's consensus). Shown with the decimals its
-- printed value has in the new unit, plus derived_extra_decimals.
converted as (

    select
        reported.market_key,
        reported.market_name,
        reported.metric,
        reported.dimension,
        reported.segment_key,
        reported.region_key,
        reported.figure_year,
        factors.to_unit_key as unit_key,
        factors.to_unit_name as unit_name,
        reported.metric_name,
        reported.region_name,
        reported.metric_kind,
        reported.metric_series,
        reported.report_id,
        reported.publisher_label,
        reported.series_id,
        reported.is_current_edition,
        reported.report_base_year,
        reported.value * factors.unit_factor as value,
        reported.qualifier,
        reported.value_low * factors.unit_factor as value_low,
        reported.value_high * factors.unit_factor as value_high,
        'derived' as basis,
        'derived' as value_kind,
        reported.is_forecast,
        reported.estimate_vintage,
        thresholds.derived_extra_decimals
        + cast(round(reported.value_decimals - log10(factors.unit_factor)) as integer) as value_decimals,
        reported.source_figure_ids,
        {{ dbt.concat([
            "'converted from '", number_text('reported.value'), "' '", 'reported.unit_name',
            "' at '", number_text('factors.printed_rate'), "' '", 'factors.quote_currency', "' per '", 'factors.base_currency',
            "' ('", as_text('factors.rate_year'), "' average; '", 'factors.document_publisher', "', '", 'factors.document_title',
            "': \"'", 'factors.rate_quote', "'\")'",
        ]) }} as conversion_note,
        factors.rate_id as exchange_rate_id,
        reported.unit_key as converted_from_unit_key

    from estimates as reported
    inner join conversion_factors as factors
        on reported.unit_key = factors.from_unit_key
        and reported.figure_year = factors.rate_year
    cross join display_thresholds as thresholds

),

-- every estimate as its report states or derives it, and every conversion of one
all_estimates as (

    select
        estimates.market_key,
        estimates.market_name,
        estimates.metric,
        estimates.dimension,
        estimates.segment_key,
        estimates.region_key,
        estimates.figure_year,
        estimates.unit_key,
        estimates.unit_name,
        estimates.metric_name,
        estimates.region_name,
        estimates.metric_kind,
        estimates.metric_series,
        estimates.report_id,
        estimates.publisher_label,
        estimates.series_id,
        estimates.is_current_edition,
        estimates.report_base_year,
        estimates.value,
        estimates.qualifier,
        estimates.value_low,
        estimates.value_high,
        estimates.basis,
        estimates.value_kind,
        estimates.is_forecast,
        estimates.estimate_vintage,
        estimates.value_decimals,
        estimates.source_figure_ids,
        cast(null as {{ dbt.type_string() }}) as conversion_note,
        cast(null as {{ dbt.type_string() }}) as exchange_rate_id,
        cast(null as {{ dbt.type_string() }}) as converted_from_unit_key

    from estimates

    union all

    select * from converted

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

    from all_estimates as estimates
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
    where keyed.value_kind = 'reported' or keyed.conversion_note is not null

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
        keyed.conversion_note,
        keyed.exchange_rate_id,
        keyed.converted_from_unit_key,
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
        -- a conversion leaves with the estimate it converts
        and coalesce(keyed.converted_from_unit_key, keyed.unit_key) = series_errors.unit_key

)

select * from final
