{#- The import and logic CTEs of the wide per-dimension marts (market_by_type_year, ...), up to and
    including `final`: the share, the derived segment value and their bases. One macro so the four
    marts cannot drift apart; each model is `with {{ market_by_dimension_year('type') }} select * from final`. -#}
{% macro market_by_dimension_year(dimension) %}
splits as (

    select * from {{ ref('int_segment_splits') }}
    where dimension = '{{ dimension }}'

),

segments as (

    select * from {{ ref('stg_reports__segments') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

units as (

    select * from {{ ref('stg_reports__units') }}

),
{% if dimension == 'region' %}
named_countries as (

    select
        claims.report_id,
        claims.parent_segment_key as segment_key,
        {{ dbt.listagg("countries.segment_name", "', '", "order by countries.sort_order, countries.segment_name") }} as named_countries

    from {{ ref('int_claims_resolved') }} as claims
    inner join segments as countries
        on claims.dimension = countries.dimension
        and claims.segment_key = countries.segment_key
    where claims.claim_type = 'country_listed'
    group by claims.report_id, claims.parent_segment_key

),
{% endif %}

final as (

    select
        splits.report_id,
        reports.report_title,
        splits.region_key,
        splits.market_year,
        {{ year_start('splits.market_year') }} as market_date,
        splits.segment_key,
        segments.segment_name,
        segments.sort_order as segment_sort_order,
        {%- if dimension == 'region' %}
        named_countries.named_countries,
        {%- endif %}
        splits.share_pct,
        splits.share_qualifier,
        splits.share_basis,
        splits.segment_value,
        splits.segment_value_unit,
        units.currency as segment_value_currency,
        splits.segment_value_basis,
        splits.total_value as market_total,
        splits.total_basis as market_total_basis,
        splits.is_forecast,
        splits.derivation,
        splits.source_figure_ids

    from splits
    inner join reports
        on splits.report_id = reports.report_id
    left join segments
        on splits.dimension = segments.dimension
        and splits.segment_key = segments.segment_key
    left join units
        on splits.segment_value_unit = units.unit_key
    {%- if dimension == 'region' %}
    left join named_countries
        on splits.report_id = named_countries.report_id
        and splits.segment_key = named_countries.segment_key
    {%- endif %}

)
{% endmacro %}
