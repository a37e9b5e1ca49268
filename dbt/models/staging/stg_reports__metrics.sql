with

source as (

    select * from {{ ref('metrics') }}

),

final as (

    select
        lower(metric) as metric,
        display_name as metric_name,
        lower(kind) as metric_kind,
        lower(quantity) as metric_quantity,
        additive as is_additive,
        lower(series) as metric_series,
        is_market_size,
        stated_by_reports as is_stated_by_reports,
        description as metric_description

    from source

)

select * from final
