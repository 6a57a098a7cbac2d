{% test unique_combination_of_columns(model, columns) %}
{#- dbt_utils' test of the same name, without a package download (installs stay offline). -#}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
