{% macro lake_commit_columns() %}
{#- The lake partition a staged row came from: every incremental model reads only the commits
    after the newest one it holds (see newest_commit_loaded). -#}
cast(ingest_date as date) as ingest_date,
    commit_id
{%- endmacro %}
