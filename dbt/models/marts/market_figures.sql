-- each report's rows are made of its own rows only (incremental: the changed reports' rows are read)
with

figures as (

    select * from {{ ref('int_figures_deduplicated') }}{{ changed_reports_only() }}

),

totals as (

    select * from {{ ref('int_market_totals_interpolated') }}{{ changed_reports_only() }}

),

growth as (

    select * from {{ ref('int_market_totals_growth') }}{{ changed_reports_only() }}

),

cagrs as (

    select * from {{ ref('int_cagr_compared') }}{{ changed_reports_only() }}

),

splits as (

    select * from {{ ref('int_segment_splits') }}{{ changed_reports_only() }}

),

units as (

    select * from {{ ref('stg_reports__units') }}

),

metrics as (

    select * from {{ ref('stg_reports__metrics') }}

),

-- what the warehouse computes is named by seeds/metrics.csv too: a level series' year-on-year
-- growth is its series' metric of kind growth, an implied rate its series' rate no report states
growth_metrics as (

    select
        levels.metric as level_metric,
        growths.metric as growth_metric
    from metrics as levels
    inner join metrics as growths
        on levels.metric_series = growths.metric_series
    where levels.metric_kind = 'level'
        and growths.metric_kind = 'growth'

),

implied_rate_metrics as (

    select
        metric_series,
        metric as implied_metric
    from metrics
    where metric_kind = 'rate'
        and not is_stated_by_reports

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

markets as (

    select * from {{ ref('stg_reports__markets') }}

),

quantities as (

    select * from {{ ref('stg_reports__quantities') }}

),

dimensions as (

    select * from {{ ref('stg_reports__dimensions') }}

),

total_rows as (

    select
        report_id,
        metric,
        'total' as dimension,
        'total' as segment_key,
        region_key,
        market_year as figure_year,
        cast(null as integer) as period_start_year,
        cast(null as integer) as period_end_year,
        value,
        unit_key,
        basis,
        is_forecast,
        qualifier,
        derivation,
        source_figure_ids,
        value_low,
        value_high,
        {{ as_text('null') }} as period_source,
        derivation_text

    from totals

),

growth_rows as (

    select
        growth.report_id,
        growth_metrics.growth_metric as metric,
        'total' as dimension,
        'total' as segment_key,
        growth.region_key,
        growth.market_year as figure_year,
        cast(null as integer) as period_start_year,
        cast(null as integer) as period_end_year,
        growth.yoy_growth_pct as value,
        growth.unit_key,
        growth.basis,
        growth.is_forecast,
        '' as qualifier,
        growth.derivation,
        growth.source_figure_ids,
        cast(null as {{ type_double() }}) as value_low,
        cast(null as {{ type_double() }}) as value_high,
        {{ as_text('null') }} as period_source,
        growth.derivation_text

    from growth
    inner join growth_metrics
        on growth.metric = growth_metrics.level_metric
    -- a year-on-year change the report states itself is shown as stated (other_reported_rows), not
    -- derived again under the same key
    where not exists (
            select 1 from figures as stated
            where stated.report_id = growth.report_id
                and stated.metric = growth_metrics.growth_metric
                and stated.dimension = 'total'
                and stated.region_key = growth.region_key
                and stated.figure_year = growth.market_year
        )

),

implied_cagr_rows as (

    -- two stated rates of one series (over 2024-2032 and "over the forecast period" 2025-2032) may be
    -- compared with the same reported span: its implied rate is one row
    select distinct
        cagrs.report_id,
        implied_rate_metrics.implied_metric as metric,
        cagrs.dimension,
        cagrs.segment_key,
        cagrs.region_key,
        cast(null as integer) as figure_year,
        cagrs.value_start_year as period_start_year,
        cagrs.value_end_year as period_end_year,
        cagrs.implied_cagr_pct as value,
        'percent' as unit_key,
        'derived' as basis,
        cast(null as boolean) as is_forecast,
        '' as qualifier,
        {{ dbt.concat([
            "case when cagrs.implied_basis = 'derived' then 'CAGR implied by the segment values derived from reported shares x reported totals' else 'CAGR implied by the reported values' end",
            "': (v_end / v_start) ^ (1 / '",
            as_text("cagrs.value_compounding_years"),
            "') - 1'",
        ]) }} as derivation,
        cagrs.value_figure_ids as source_figure_ids,
        cagrs.implied_cagr_low_pct as value_low,
        cagrs.implied_cagr_high_pct as value_high,
        {{ as_text('null') }} as period_source,
        {{ dbt.concat([
            "case when cagrs.implied_basis = 'derived' then 'CAGR implied by the segment values derived from reported shares × reported totals' else 'CAGR implied by the reported values' end",
            "': (value at the end / value at the start) ^ (1 / '",
            as_text("cagrs.value_compounding_years"),
            "') - 1, over '",
            as_text("cagrs.value_start_year"),
            "'–'",
            as_text("cagrs.value_end_year"),
        ]) }} as derivation_text

    from cagrs
    inner join implied_rate_metrics
        on cagrs.metric_series = implied_rate_metrics.metric_series
    where cagrs.implied_cagr_pct is not null

),

-- every other reported figure (stated CAGRs, shares, concentration, ...) exactly as stated;
-- totals and shares come from their own models above
other_reported_rows as (

    select
        {{ figure_key() }},
        value,
        unit_key,
        'reported' as basis,
        is_forecast,
        qualifier,
        {{ as_text('null') }} as derivation,
        source_figure_ids,
        value_low,
        value_high,
        period_source,
        {{ as_text('null') }} as derivation_text

    from figures
    where not (dimension = 'total' and is_market_size and figure_year is not null)
        -- dated shares of a split come from int_segment_splits (with their not_reported and
        -- unallocated rows); a share stated without a year ("more than 90 %") stays here
        and not (
            metric in (select splits.share_metric from splits)
            and dimension in (
                select dimensions.dimension from dimensions
                where dimensions.is_split
            )
            and figure_year is not null
        )

),

share_rows as (

    select
        report_id,
        share_metric as metric,
        dimension,
        segment_key,
        region_key,
        market_year as figure_year,
        cast(null as integer) as period_start_year,
        cast(null as integer) as period_end_year,
        share_pct as value,
        'percent' as unit_key,
        share_basis as basis,
        is_forecast,
        coalesce(share_qualifier, '') as qualifier,
        share_derivation as derivation,
        share_source_figure_ids as source_figure_ids,
        share_low_pct as value_low,
        share_high_pct as value_high,
        {{ as_text('null') }} as period_source,
        share_derivation as derivation_text

    from splits

),

segment_value_rows as (

    select
        report_id,
        total_metric as metric,
        dimension,
        segment_key,
        region_key,
        market_year as figure_year,
        cast(null as integer) as period_start_year,
        cast(null as integer) as period_end_year,
        segment_value as value,
        total_unit as unit_key,
        segment_value_basis as basis,
        is_forecast,
        '' as qualifier,
        derivation,
        source_figure_ids,
        cast(null as {{ type_double() }}) as value_low,
        cast(null as {{ type_double() }}) as value_high,
        {{ as_text('null') }} as period_source,
        derivation_text

    from splits
    where segment_value_basis = 'derived'

),

unioned as (

    select * from total_rows
    union all
    select * from growth_rows
    union all
    select * from implied_cagr_rows
    union all
    select * from other_reported_rows
    union all
    select * from share_rows
    union all
    select * from segment_value_rows

),

-- the display precision of each row (dbt/macros/display.sql): the decimals of its coarsest source
source_decimals as (

    {{ coarsest_source_decimals('unioned') }}

),

display as (

    {{ display_thresholds() }}

),

-- a segment value derived as share x total: its sources' precision in its own unit
segment_value_decimals as (

    select * from {{ ref('int_segment_value_decimals') }}{{ changed_reports_only() }}

),

region_names as (

    select * from {{ ref('int_region_names') }}

),

final as (

    select
        {{ market_figure_id('unioned') }} as market_figure_id,
        {{ figure_key('unioned') }},
        reports.market as market_key,
        markets.market_name,
        {{ year_start('unioned.figure_year') }} as figure_date,
        unioned.value,
        unioned.unit_key,
        units.unit_name,
        units.currency,
        units.quantity,
        quantities.quantity_name,
        metrics.metric_kind,
        -- seeds/metrics.csv says which metrics add up across segments (values, volumes; never shares or rates)
        metrics.is_additive,
        unioned.basis,
        {{ is_forecast("coalesce(unioned.figure_year, unioned.period_end_year)") }} as is_forecast,
        unioned.qualifier,
        unioned.derivation,
        unioned.source_figure_ids,
        unioned.value_low,
        unioned.value_high,
        unioned.period_source,
        metrics.metric_name,
        region_names.region_name,
        coalesce(segment_value_decimals.value_decimals, {{ display_decimals(
            'unioned.value', 'unioned.basis', 'source_decimals.source_decimals',
            "metrics.metric_kind in ('growth', 'rate')",
        ) }}) as value_decimals,
        unioned.derivation_text

    from unioned
    inner join units
        on unioned.unit_key = units.unit_key
    left join metrics
        on unioned.metric = metrics.metric
    inner join reports
        on unioned.report_id = reports.report_id
    left join markets
        on reports.market = markets.market
    left join quantities
        on units.quantity = quantities.quantity
    left join region_names
        on unioned.region_key = region_names.region_key
    left join source_decimals
        on unioned.source_figure_ids = source_decimals.source_figure_ids
    left join segment_value_decimals
        on unioned.basis = 'derived'
        and unioned.report_id = segment_value_decimals.report_id
        and unioned.metric = segment_value_decimals.total_metric
        and unioned.dimension = segment_value_decimals.dimension
        and unioned.segment_key = segment_value_decimals.segment_key
        and unioned.region_key = segment_value_decimals.region_key
        and unioned.figure_year = segment_value_decimals.market_year
    cross join display

)

select * from final
