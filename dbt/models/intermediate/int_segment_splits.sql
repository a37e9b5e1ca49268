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

-- the metric that states a segment's share of the market's size (seeds/metrics.csv: kind share, in
-- the series of the market-size metrics)
market_share_metric as (

    select metric as share_metric
    from metrics
    where metric_kind = 'share'
        and metric_series in (
            select size_metrics.metric_series from metrics as size_metrics
            where size_metrics.is_market_size
        )

),

shares as (

    select figures.*
    from figures
    inner join market_share_metric
        on figures.metric = market_share_metric.share_metric
    where figures.dimension in (select split_dimensions.dimension from split_dimensions)
        and figures.figure_year is not null

),

-- segment values the report states itself (e.g. CNCIC: artificial graphite 605 000 tons in 2021)
reported_segment_values as (

    select *
    from figures
    where is_market_size
        and dimension in (select split_dimensions.dimension from split_dimensions)
        and figure_year is not null

),

report_segments as (

    select
        report_id,
        dimension,
        segment_key
    from claims
    where lists_segments
        and dimension in (select split_dimensions.dimension from split_dimensions)

    union

    select
        report_id,
        dimension,
        segment_key
    from shares

),

report_years as (

    select
        report_id,
        market_year
    from totals

    union

    select
        report_id,
        figure_year as market_year
    from shares

),

-- the headline total a share applies to: the report's own geography. A report that sizes a year both
-- in value and in volume does not say which of the two a share is of: no segment value is derived then
report_totals as (

    select
        totals.report_id,
        totals.market_year,
        totals.metric as total_metric,
        totals.value as total_value,
        totals.unit_key as total_unit,
        totals.basis as total_basis,
        totals.source_figure_ids as total_figure_ids,
        count(*) over (partition by totals.report_id, totals.market_year) as totals_of_the_year

    from totals
    inner join reports
        on totals.report_id = reports.report_id
        and totals.region_key = reports.geography

),

listed as (

    select
        report_segments.report_id,
        report_segments.dimension,
        report_segments.segment_key,
        report_years.market_year,
        shares.value as share_pct,
        shares.qualifier as share_qualifier,
        case when shares.value is null then 'not_reported' else 'reported' end as share_basis,
        {{ as_text('null') }} as share_derivation,
        shares.source_figure_ids as share_figure_ids

    from report_segments
    inner join report_years
        on report_segments.report_id = report_years.report_id
    left join shares
        on report_segments.report_id = shares.report_id
        and report_segments.dimension = shares.dimension
        and report_segments.segment_key = shares.segment_key
        and report_years.market_year = shares.figure_year

),

stated_sums as (

    select
        shares.report_id,
        shares.dimension,
        shares.figure_year as market_year,
        -- shares are curated with at most 6 decimals (decimal(20,6)): their sum rounded to 6 is exact,
        -- and the same whatever order the engine adds them in
        round(sum(shares.value), 6) as share_sum,
        {{ dbt.listagg("shares.source_figure_ids", "','", "order by shares.source_figure_ids") }} as share_figure_ids

    from shares
    group by shares.report_id, shares.dimension, shares.figure_year

),

unallocated as (

    select
        stated_sums.report_id,
        stated_sums.dimension,
        'unallocated' as segment_key,
        stated_sums.market_year,
        round(100 - stated_sums.share_sum, 6) as share_pct,
        '' as share_qualifier,
        'derived' as share_basis,
        {{ dbt.concat([
            "'100 - sum of the shares the report states for this year ('",
            number_text("stated_sums.share_sum"),
            "' %): the part of the market it does not attribute to a segment'",
        ]) }} as share_derivation,
        stated_sums.share_figure_ids

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
        market_share_metric.share_metric,
        all_segments.dimension,
        all_segments.segment_key,
        reports.geography as region_key,
        all_segments.market_year,
        {{ is_forecast("all_segments.market_year") }} as is_forecast,
        all_segments.share_pct,
        all_segments.share_qualifier,
        all_segments.share_basis,
        all_segments.share_derivation,
        all_segments.share_figure_ids as share_source_figure_ids,
        report_totals.total_metric,
        report_totals.total_value,
        report_totals.total_unit,
        report_totals.total_basis,
        coalesce(reported_segment_values.value, all_segments.share_pct * report_totals.total_value / 100) as segment_value,
        coalesce(reported_segment_values.unit_key, report_totals.total_unit) as segment_value_unit,
        case
            when reported_segment_values.value is not null then 'reported'
            when all_segments.share_pct is null or report_totals.total_value is null then 'not_reported'
            else 'derived'
        end as segment_value_basis,
        case
            when reported_segment_values.value is not null then all_segments.share_derivation
            when all_segments.share_pct is not null and report_totals.total_value is not null
                then {{ dbt.concat([
                    "coalesce(all_segments.share_derivation, 'reported share')",
                    "' ('",
                    number_text("all_segments.share_pct"),
                    "' %) x '",
                    "report_totals.total_basis",
                    "' total ('",
                    number_text("report_totals.total_value"),
                    "' '",
                    "report_totals.total_unit",
                    "') / 100'",
                ]) }}
            else all_segments.share_derivation
        end as derivation,
        case
            when reported_segment_values.value is not null then reported_segment_values.source_figure_ids
            when all_segments.share_figure_ids is null then null
            when report_totals.total_figure_ids is null then all_segments.share_figure_ids
            else {{ dbt.concat(["all_segments.share_figure_ids", "','", "report_totals.total_figure_ids"]) }}
        end as source_figure_ids

    from all_segments
    cross join market_share_metric
    inner join reports
        on all_segments.report_id = reports.report_id
    left join report_totals
        on all_segments.report_id = report_totals.report_id
        and all_segments.market_year = report_totals.market_year
        and report_totals.totals_of_the_year = 1
    left join reported_segment_values
        on all_segments.report_id = reported_segment_values.report_id
        and all_segments.dimension = reported_segment_values.dimension
        and all_segments.segment_key = reported_segment_values.segment_key
        and all_segments.market_year = reported_segment_values.figure_year

)

select * from final
