{#- Like `relationships`, but the parent rows are filtered (e.g. only region and country segments
    may be a figure's region). The child rows are a CTE, as in dbt's own relationships test: `model` may
    be a subquery with its own alias (dbt wraps it so for a `where` config). -#}
{% test relationships_where(model, column_name, to, field, to_where='1 = 1') %}

with child as (

    select * from {{ model }}

)

select child.*
from child
where child.{{ column_name }} is not null
    and child.{{ column_name }} not in (
        select parent.{{ field }}
        from {{ to }} as parent
        where {{ to_where }}
            and parent.{{ field }} is not null
    )

{% endtest %}
