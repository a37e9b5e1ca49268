-- A split is of one region: the shares a report states for a region (its own geography, or another
-- region it sizes) are split, summed and valued against that region's total, never another's.
-- Where the stated shares of a year add up to less than 100 %, the remainder is one explicit
-- `unallocated` row (basis derived), never spread over segments. A segment's value is the value the
-- report states, else reported share x total of the same year (derived); nothing is interpolated or
-- invented.
with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}

),

claims as (

    select * from {{ ref('int_claims_resolved') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

totals as (

    select * from {{ ref('int_market_totals_interpolated') }}

),

thresholds as (

    select * from {{ ref('stg_reports__audit_thresholds') }}

),

share_sum_tolerance as (

    select threshold from thresholds
    where rule = 'share_sum_tolerance'

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

-- the dimensions whose shares split the market (seeds/dimensions.csv: is_split): every one of them,
-- old or added as data, gets its reported, derived, not_reported and unallocated rows
split_dimensions as (

    select dimension from {{ ref('stg_reports__dimensions') }}
    where is_split

),

-- the metrics that state a segment's share of a market size (seeds/metrics.csv: kind share, in the
-- series of a market-size metric), each with its series: a share of demand is applied to the demand
-- total, never to mine supply or to a money value of another series
share_metrics as (

    select
        metric as share_metric,
        metric_series
    from metrics
    where metric_kind = 'share'
        and metric_series in (
            select size_metrics.metric_series from metrics as size_metrics
            where size_metrics.is_market_size
        )

),

shares as (

    select
        figures.report_id,
        share_metrics.share_metric,
        share_metrics.metric_series,
        figures.dimension,
        figures.segment_key,
        figures.region_key,
        figures.figure_year,
        figures.value,
        figures.value_low,
        figures.value_high,
        figures.qualifier,
        figures.source_figure_ids
    from figures
    inner join share_metrics
        on figures.metric = share_metrics.share_metric
    where figures.dimension in (select split_dimensions.dimension from split_dimensions)
        and figures.figure_year is not null

),

-- the market-size totals with their series
series_totals as (

    select
        totals.*,
        metrics.metric_series
    from totals
    inner join metrics
        on totals.metric = metrics.metric

),

-- segment values the report states itself (e.g. CNCIC: artificial graphite 605 000 tons in 2021)
reported_segment_values as (

    select *
    from figures
    where is_market_size
        and dimension in (select split_dimensions.dimension from split_dimensions)
        and figure_year is not null

),

-- the series a report splits: those it states shares of, and, for the segments it lists without a
-- share, every series it sizes at its own geography and has a share metric for
report_series as (

    select distinct
        report_id,
        metric_series
    from shares

    union

    select distinct
        series_totals.report_id,
        series_totals.metric_series
    from series_totals
    inner join reports
        on series_totals.report_id = reports.report_id
        and series_totals.region_key = reports.geography
    inner join share_metrics
        on series_totals.metric_series = share_metrics.metric_series

),

report_segments as (

    -- a claim listing segments lists them for the report's own geography
    select
        claims.report_id,
        report_series.metric_series,
        claims.dimension,
        claims.segment_key,
        reports.geography as region_key
    from claims
    inner join report_series
        on claims.report_id = report_series.report_id
    inner join reports
        on claims.report_id = reports.report_id
    where claims.lists_segments
        and claims.dimension in (select split_dimensions.dimension from split_dimensions)

    union

    select
        report_id,
        metric_series,
        dimension,
        segment_key,
        region_key
    from shares

),

-- the years of the report's own geography are every year it sizes; another region's are the years of
-- that region's shares
report_years as (

    select
        series_totals.report_id,
        series_totals.metric_series,
        reports.geography as region_key,
        series_totals.market_year
    from series_totals
    inner join reports
        on series_totals.report_id = reports.report_id

    union

    select
        report_id,
        metric_series,
        region_key,
        figure_year as market_year
    from shares

),

-- the total a share applies to: its region's, of the share's series. A report that sizes a year of one
-- series both in value and in volume does not say which of the two a share is of: no segment value is
-- derived then
report_totals as (

    select
        series_totals.report_id,
        series_totals.metric_series,
        series_totals.market_year,
        series_totals.metric as total_metric,
        series_totals.value as total_value,
        series_totals.value_low as total_value_low,
        series_totals.value_high as total_value_high,
        series_totals.unit_key as total_unit,
        series_totals.unit_name as total_unit_name,
        series_totals.basis as total_basis,
        series_totals.source_figure_ids as total_figure_ids,
        series_totals.region_key,
        count(*) over (
            partition by
                series_totals.report_id,
                series_totals.metric_series,
                series_totals.region_key,
                series_totals.market_year
        ) as totals_of_the_year

    from series_totals

),

listed as (

    select
        report_segments.report_id,
        report_segments.metric_series,
        report_segments.dimension,
        report_segments.segment_key,
        report_segments.region_key,
        report_years.market_year,
        shares.value as share_pct,
        shares.qualifier as share_qualifier,
        case when shares.value is null then 'not_reported' else 'reported' end as share_basis,
        {{ as_text('null') }} as share_derivation,
        shares.source_figure_ids as share_figure_ids,
        shares.value_low as share_low_pct,
        shares.value_high as share_high_pct

    from report_segments
    inner join report_years
        on report_segments.report_id = report_years.report_id
        and report_segments.metric_series = report_years.metric_series
        and report_segments.region_key = report_years.region_key
    left join shares
        on report_segments.report_id = shares.report_id
        and report_segments.metric_series = shares.metric_series
        and report_segments.dimension = shares.dimension
        and report_segments.segment_key = shares.segment_key
        and report_segments.region_key = shares.region_key
        and report_years.market_year = shares.figure_year

),

stated_sums as (

    select
        shares.report_id,
        shares.metric_series,
        shares.dimension,
        shares.region_key,
        shares.figure_year as market_year,
        -- shares are curated with at most 6 decimals (decimal(20,6)): their sum rounded to 6 is exact,
        -- and the same whatever order the engine adds them in
        round(sum(shares.value), 6) as share_sum,
        {{ dbt.listagg("shares.source_figure_ids", "','", "order by shares.source_figure_ids") }} as share_figure_ids

    from shares
    group by shares.report_id, shares.metric_series, shares.dimension, shares.region_key, shares.figure_year

),

unallocated as (

    select
        stated_sums.report_id,
        stated_sums.metric_series,
        stated_sums.dimension,
        'unallocated' as segment_key,
        stated_sums.region_key,
        stated_sums.market_year,
        round(100 - stated_sums.share_sum, 6) as share_pct,
        '' as share_qualifier,
        'derived' as share_basis,
        {{ dbt.concat([
            "'100 - sum of the shares the report states for this year ('",
            number_text("stated_sums.share_sum"),
            "' %): the part of the market it does not attribute to a segment'",
        ]) }} as share_derivation,
        stated_sums.share_figure_ids,
        cast(null as {{ type_double() }}) as share_low_pct,
        cast(null as {{ type_double() }}) as share_high_pct

    from stated_sums
    cross join share_sum_tolerance as tolerance
    where stated_sums.share_sum < 100 - tolerance.threshold

),

all_segments as (

    select * from listed
    union all
    select * from unallocated

),

final as (

    select
        all_segments.report_id,
        share_metrics.share_metric,
        all_segments.dimension,
        all_segments.segment_key,
        all_segments.region_key,
        all_segments.market_year,
        {{ is_forecast("all_segments.market_year") }} as is_forecast,
        all_segments.share_pct,
        all_segments.share_qualifier,
        all_segments.share_basis,
        all_segments.share_derivation,
        all_segments.share_figure_ids as share_source_figure_ids,
        all_segments.share_low_pct,
        all_segments.share_high_pct,
        report_totals.total_metric,
        report_totals.total_value,
        report_totals.total_unit,
        report_totals.total_basis,
        report_totals.total_value_low,
        report_totals.total_value_high,
        coalesce(reported_segment_values.value, all_segments.share_pct * report_totals.total_value / 100) as segment_value,
        coalesce(reported_segment_values.unit_key, report_totals.total_unit) as segment_value_unit,
        case
            when reported_segment_values.value is not null then 'reported'
            when all_segments.share_pct is null or report_totals.total_value is null then 'not_reported'
            else 'derived'
        end as segment_value_basis,
        {#- one derivation, written twice: for machines (derivation: unit keys, plain digits) and for people
            (derivation_text: the total's unit as the seeds name it, thousands grouped) -#}
        {%- for column, times, total_value, total_unit in [
            ("derivation", "' %) x '", number_text("report_totals.total_value"), "report_totals.total_unit"),
            ("derivation_text", "' %) × '", grouped_number_text("report_totals.total_value"),
                "coalesce(report_totals.total_unit_name, report_totals.total_unit)"),
        ] %}
            case
                when reported_segment_values.value is not null then all_segments.share_derivation
                when all_segments.share_pct is not null and report_totals.total_value is not null
                    then {{ dbt.concat([
                        "coalesce(all_segments.share_derivation, 'reported share')",
                        "' ('",
                        number_text("all_segments.share_pct"),
                        times,
                        "report_totals.total_basis",
                        "' total ('",
                        total_value,
                        "' '",
                        total_unit,
                        "') / 100'",
                    ]) }}
                else all_segments.share_derivation
            end as {{ column }},
        {%- endfor %}
        case
            when reported_segment_values.value is not null then reported_segment_values.source_figure_ids
            when all_segments.share_figure_ids is null then null
            when report_totals.total_figure_ids is null then all_segments.share_figure_ids
            else {{ dbt.concat(["all_segments.share_figure_ids", "','", "report_totals.total_figure_ids"]) }}
        end as source_figure_ids

    from all_segments
    inner join share_metrics
        on all_segments.metric_series = share_metrics.metric_series
    inner join reports
        on all_segments.report_id = reports.report_id
    left join report_totals
        on all_segments.report_id = report_totals.report_id
        and all_segments.metric_series = report_totals.metric_series
        and all_segments.region_key = report_totals.region_key
        and all_segments.market_year = report_totals.market_year
        and report_totals.totals_of_the_year = 1
    left join reported_segment_values
        on all_segments.report_id = reported_segment_values.report_id
        and all_segments.metric_series = reported_segment_values.metric_series
        and all_segments.dimension = reported_segment_values.dimension
        and all_segments.segment_key = reported_segment_values.segment_key
        and all_segments.region_key = reported_segment_values.region_key
        and all_segments.market_year = reported_segment_values.figure_year

)

select * from final {{ changed_reports_only() }}
