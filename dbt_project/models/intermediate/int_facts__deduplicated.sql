-- fact_id derives from the document and the span, so a document that arrived twice yields the
-- same fact ids twice: keep one, and only facts of canonical (non-duplicate) documents.
with ranked as (
    select
        f.*,
        row_number() over (partition by f.fact_id order by f.extracted_at) as arrival
    from {{ ref('stg_lake__facts') }} as f
)

select ranked.* exclude (arrival)
from ranked
inner join {{ ref('int_documents__canonical') }} as d using (document_id)
where ranked.arrival = 1
  and d.duplicate_of is null
