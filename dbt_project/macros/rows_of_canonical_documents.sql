{% macro rows_of_canonical_documents(relation, id_column) %}
{#- Extracted rows (facts, mentions, events) counted once, with their document's date and outlet:
    ids derive from the document and the span, so a document that arrived twice yields the same
    ids twice (keep the first), and rows of a near-duplicate (syndicated copy) are dropped in
    favour of its canonical document.
    In an incremental model only documents first committed after what the model holds: a
    document arriving again later adds nothing new. -#}
{%- set newest = newest_commit_loaded() %}
select r.*, d.published, d.outlet
from {{ relation }} as r
inner join {{ ref('int_documents__canonical') }} as d on d.document_id = r.document_id
where d.duplicate_of is null
    and r.commit_id > {{ newest }}
    and d.commit_id > {{ newest }}
qualify row_number() over (partition by r.{{ id_column }} order by r.extracted_at) = 1
{% endmacro %}
