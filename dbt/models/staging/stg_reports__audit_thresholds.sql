with

source as (

    select * from {{ ref('audit_thresholds') }}

),

final as (

    select
        lower(rule) as rule,
        cast(threshold as {{ type_double() }}) as threshold,
        unit as threshold_unit,
        description

    from source

)

select * from final
