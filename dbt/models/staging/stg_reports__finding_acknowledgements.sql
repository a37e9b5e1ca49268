with

source as (

    select * from {{ ref('finding_acknowledgements') }}

),

final as (

    select
        finding_key,
        report_id,
        reason as acknowledgement_reason,
        acknowledged_by,
        acknowledged_on

    from source

)

select * from final
