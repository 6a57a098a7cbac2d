{% macro rows_of_canonical_documents(relation, id_column, only_ids=none) %}
{#- Extracted rows (facts, mentions, events) counted once, with their document's date and outlet:
    ids derive from the document and the span, so a document that arrived twice yields the same
    ids twice (keep the first), and rows of a near-duplicate (syndicated copy) are dropped in
    favour of its canonical document.
    In an incremental model only documents first committed after what the model holds: a
    document arriving again later adds nothing new. `only_ids` (a query of ids) reads just those
    rows, from every commit: the facts analysts corrected. -#}
{%- set newest = newest_commit_loaded() %}
select r.*, d.published, d.outlet
from {{ relation }} as r
inner join {{ ref('int_documents__canonical') }} as d on d.document_id = r.document_id
where d.duplicate_of is null
{%- if only_ids is not none %}
    and r.{{ id_column }} in ({{ only_ids }})
{%- else %}
    and r.commit_id > {{ newest }}
    and d.commit_id > {{ newest }}
{%- endif %}
qualify row_number() over (partition by r.{{ id_column }} order by r.extracted_at) = 1
{% endmacro %}
