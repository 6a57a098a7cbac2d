{% macro zone_stretch_pattern() %}
{#- A regexp, as a SQL literal: a stretch of name-like text (no punctuation or space) ending with
    the first zone suffix (seed zone_suffixes, longest first) after it. A literal, not a column:
    DuckDB compiles a constant pattern once, a pattern from a joined column once per row (40 s
    instead of 1 s on 20,000 documents). -#}
{%- set suffixes = [] -%}
{%- if execute -%}
    {%- set suffixes = run_query('select suffix from ' ~ ref('zone_suffixes') ~ ' order by length(suffix) desc, suffix').columns[0].values() -%}
{%- endif -%}
{%- set pattern = '[^\\s，。、；：？！,.;:?!“”"\'《》]{0,24}?(?:' ~ (suffixes | join('|')) ~ ')' -%}
'{{ pattern | replace("'", "''") }}'
{%- endmacro %}
