{#- Fails for every row where the boolean expression is not true (an arithmetic identity, a rule
    between columns). Rows where it is null fail too: an identity that cannot be checked is not
    satisfied. -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
