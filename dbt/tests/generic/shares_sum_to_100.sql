{#- Fails for every report, dimension, region and year whose reported shares add up to more than
    100 plus the tolerance (a partial split may sum to less; a complete one is checked by the GX
    shares suite, which knows which splits are complete). -#}
{% test shares_do_not_exceed_100(model, group_by, share_column='share_pct', tolerance_rule='share_sum_tolerance') %}

with

thresholds as (

    select threshold from {{ ref('stg_reports__audit_thresholds') }}
    where rule = '{{ tolerance_rule }}'

),

sums as (

    select
        {{ group_by | join(', ') }},
        sum({{ share_column }}) as share_sum
    from {{ model }}
    where {{ share_column }} is not null
    group by {{ group_by | join(', ') }}

)

select sums.*
from sums
cross join thresholds
where sums.share_sum > 100 + thresholds.threshold

{% endtest %}
