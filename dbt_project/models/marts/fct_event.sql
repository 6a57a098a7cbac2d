-- Events named in canonical documents.
select
    e.event_id,
    e.document_id,
    e.event_name,
    e.event_type,
    e.edition,
    e.year,
    e.event_date,
    e.region_code,
    e.attendance,
    d.published,
    d.outlet,
    e.evidence,
    e.char_start,
    e.char_end,
    e.extractor_version
from {{ ref('stg_lake__events') }} as e
inner join {{ ref('int_documents__canonical') }} as d on d.document_id = e.document_id
where d.duplicate_of is null
qualify row_number() over (partition by e.event_id order by e.extracted_at) = 1
