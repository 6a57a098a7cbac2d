{% macro newest_commit_loaded() %}
{#- In an incremental run: the newest lake commit this model already holds, as a SQL literal.
    Lake commits only grow (lake.partition), so rows of later commits are the new ones; a literal
    lets DuckDB skip the older partitions' files without opening them. Outside incremental runs
    (views, tables, a full refresh) every commit is new. -#}
{%- set newest = none -%}
{%- if execute and is_incremental() -%}
    {%- set newest = run_query('select max(commit_id) from ' ~ this).columns[0].values()[0] -%}
{%- endif -%}
'{{ newest or "" }}'
{%- endmacro %}
