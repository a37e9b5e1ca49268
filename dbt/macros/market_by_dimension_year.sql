{#- A wide per-dimension mart (market_by_type_year, ...) as a filter of the long marts.market_splits:
    its rows for one dimension, in the columns the mart has always had (plus the market). One macro so
    the four marts cannot drift apart; each model is `with {{ market_by_dimension_year('type') }} select * from final`. -#}
{% macro market_by_dimension_year(dimension) %}
splits as (

    select * from {{ ref('market_splits') }}
    where dimension = '{{ dimension }}'
        and {{ changed_reports_condition() }}

),

final as (

    select
        report_id,
        report_title,
        market_key,
        market_name,
        region_key,
        market_year,
        market_date,
        segment_key,
        segment_name,
        segment_sort_order,
        {%- if dimension == 'region' %}
        named_countries,
        {%- endif %}
        share_pct,
        share_qualifier,
        share_basis,
        segment_value,
        segment_value_unit,
        segment_value_currency,
        segment_value_basis,
        market_total,
        market_total_basis,
        is_forecast,
        derivation,
        source_figure_ids,
        derivation_text

    from splits

)
{% endmacro %}
