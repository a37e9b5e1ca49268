with

source as (

    select * from {{ curated_csv('report_figures') }}

),

final as (

    select
        figure_id,
        report_id,
        lower(metric) as metric,
        lower(dimension) as dimension,
        segment as segment_as_published,
        lower(trim(segment)) as segment_name_normalized,
        lower(region) as region_key,
        year as figure_year,
        period_start_year,
        period_end_year,
        cast(value as {{ type_double() }}) as value,
        cast(range_high as {{ type_double() }}) as range_high,
        lower(unit) as unit_key,
        lower(trim(coalesce(qualifier, ''))) as qualifier,
        value_as_published,
        lower(basis) as basis,
        section,
        quote,
        nullif(period_source, '') as period_source,
        nullif(trim(cited_publisher), '') as cited_publisher,
        nullif(trim(cited_date), '') as cited_date

    from source

)

select * from final
