{% test expression_is_true(model, expression) %}
{#- dbt_utils' test of the same name, without a package download: rows where the expression is not true. -#}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
